using FrontDoor.Server.Live;

namespace FrontDoor.Server.Tests;

/// <summary>When the managers' walls are pushed: changes at once (spaced out), the day's counts once the daemon has them.</summary>
public sealed class WallScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int milliseconds) => Start.AddMilliseconds(milliseconds);

    [Fact]
    public void A_change_is_pushed_at_once_then_changes_are_spaced_250_ms_apart()
    {
        var wall = new WallSchedule { Target = 10 };
        Assert.Equal(WallStep.Push, wall.Next(At(0)));
        wall.RecordPush(counted: 10, At(0));
        Assert.Equal(WallStep.Idle, wall.Next(At(10)));

        wall.Target = 11;

        Assert.Equal(WallStep.Wait, wall.Next(At(100)));
        Assert.Equal(WallStep.Push, wall.Next(At(250)));
    }

    [Fact]
    public void The_days_counts_are_looked_for_every_250_ms_until_the_daemon_has_counted_the_change()
    {
        var wall = new WallSchedule { Target = 10 };
        wall.RecordPush(counted: 8, At(0));

        Assert.True(wall.Due);
        Assert.Equal(WallStep.Wait, wall.Next(At(200)));
        Assert.Equal(WallStep.LookForCounts, wall.Next(At(250)));
        wall.RecordLook(At(250));
        Assert.Equal(WallStep.Wait, wall.Next(At(400)));
        Assert.Equal(WallStep.LookForCounts, wall.Next(At(500)));

        wall.RecordPush(counted: 10, At(500));

        Assert.False(wall.Due);
        Assert.Equal(WallStep.Idle, wall.Next(At(5_000)));
    }

    [Fact]
    public void A_look_that_found_nothing_new_does_not_hold_back_the_next_change()
    {
        var wall = new WallSchedule { Target = 10 };
        wall.RecordPush(counted: 8, At(0));
        wall.RecordLook(At(300));

        wall.Target = 12;

        // 310 ms since the last push: the change goes now, not 250 ms after the look.
        Assert.Equal(WallStep.Push, wall.Next(At(310)));
    }
}
