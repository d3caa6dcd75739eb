namespace FrontDoor.Server.Live;

/// <summary>What the walls' push loop does next.</summary>
internal enum WallStep
{
    /// <summary>The walls hold everything there is.</summary>
    Idle,

    /// <summary>Something is due, but not yet: pushes and looks are spaced out.</summary>
    Wait,

    /// <summary>Push the figures: a change the walls have not had.</summary>
    Push,

    /// <summary>Look whether the daemon has counted more of the day, and push if it has.</summary>
    LookForCounts,
}

/// <summary>
/// When the walls are pushed. The figures about work as it stands come from rows written inline, so a change is in
/// them as soon as it commits; the day's counts come from Marten's daemon, a page behind, so after a change the
/// walls are pushed again once the daemon has counted it. Pushes are at most one every <see cref="Interval"/>, and
/// so are looks at the daemon's progress; a look that found nothing new never holds back the next change.
/// </summary>
internal struct WallSchedule
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>The highest log position with a change for the walls.</summary>
    public long Target { get; set; }

    /// <summary>The position the last push carried.</summary>
    public long Pushed { get; private set; }

    /// <summary>How far the day's counts in the last push were counted.</summary>
    public long Counted { get; private set; }

    // default(DateTimeOffset) is its MinValue: a new schedule has never pushed nor looked.
    private DateTimeOffset _lastPush;
    private DateTimeOffset _lastLook;

    public readonly bool Due => Target > Pushed || Counted < Pushed;

    public readonly WallStep Next(DateTimeOffset now) =>
        Target > Pushed ? (now - _lastPush >= Interval ? WallStep.Push : WallStep.Wait)
        : Counted < Pushed ? (now - _lastLook >= Interval ? WallStep.LookForCounts : WallStep.Wait)
        : WallStep.Idle;

    /// <summary>The walls were sent everything up to <see cref="Target"/>, with the day counted up to <paramref name="counted"/>.</summary>
    public void RecordPush(long counted, DateTimeOffset now)
    {
        Pushed = Target;
        Counted = counted;
        _lastPush = now;
        _lastLook = now;
    }

    /// <summary>The daemon had counted nothing more than the last push held.</summary>
    public void RecordLook(DateTimeOffset now) => _lastLook = now;
}
