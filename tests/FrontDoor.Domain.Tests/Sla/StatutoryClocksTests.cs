using FrontDoor.Domain.Sla;
using FrontDoor.Domain.Tests.Support;

namespace FrontDoor.Domain.Tests.Sla;

public sealed class StatutoryClocksTests
{
    [Fact]
    public void HomelessnessRunsTheFiftySixDayDuty()
    {
        var clock = Assert.Single(StatutoryClocks.For([NeedCodes.Homelessness], Times.Monday));

        Assert.Equal(StatutoryClocks.HomelessnessDutyCode, clock.Code);
        Assert.Equal(Times.Monday.AddDays(56), clock.Deadline);
        Assert.Contains("56 days", clock.Description, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(clock.Name));
    }

    [Fact]
    public void ChildSafeguardingNeedsADecisionWithinOneWorkingDay()
    {
        var friday = Times.Day(2025, 3, 7, 15);

        var clock = Assert.Single(StatutoryClocks.For([NeedCodes.ChildSafeguarding], friday));

        Assert.Equal(StatutoryClocks.ChildSafeguardingDecisionCode, clock.Code);
        Assert.Equal(Times.Day(2025, 3, 10, 15), clock.Deadline);
    }

    [Fact]
    public void BothClocksRunTogetherAndDuplicatesCountOnce()
    {
        var clocks = StatutoryClocks.For([NeedCodes.Homelessness, NeedCodes.ChildSafeguarding, "homelessness"], Times.Monday);

        Assert.Equal(
            [StatutoryClocks.ChildSafeguardingDecisionCode, StatutoryClocks.HomelessnessDutyCode],
            clocks.Select(c => c.Code));
    }

    [Fact]
    public void OtherNeedsHaveNoStatutoryClock() =>
        Assert.Empty(StatutoryClocks.For([NeedCodes.MoneyAndDebt, NeedCodes.HousingAdvice, NeedCodes.AdultSafeguarding], Times.Monday));
}
