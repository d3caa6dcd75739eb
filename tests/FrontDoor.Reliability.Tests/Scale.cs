namespace FrontDoor.Reliability.Tests;

/// <summary>
/// How hard the scenarios push: small in the test command (every scenario, a few minutes in all), larger from
/// ops/chaos.sh (FRONTDOOR_RELIABILITY_SCALE=long).
/// </summary>
public static class Scale
{
    public static bool IsLong { get; } = string.Equals(Environment.GetEnvironmentVariable("FRONTDOOR_RELIABILITY_SCALE"), "long", StringComparison.OrdinalIgnoreCase);

    public static string Name => IsLong ? "long" : "short";

    public static int Kills => IsLong ? 25 : 5;

    public static int Agents => IsLong ? 12 : 6;

    /// <summary>
    /// An agent's pause between contacts: a steady load (some 30–40 contacts/s here) that the router keeps up with,
    /// rather than a flood whose backlog would outlast the scenario (docs/benchmarks.md has the router's limit).
    /// </summary>
    public static TimeSpan AgentPause => TimeSpan.FromMilliseconds(IsLong ? 250 : 150);

    /// <summary>How long the end checks wait for every subscription to catch up once the load stops.</summary>
    public static int CatchUpSeconds => IsLong ? 600 : 120;

    /// <summary>How long each node lives under load before it is killed: a random moment within this range.</summary>
    public static (int MinMs, int MaxMs) LifeBetweenKills => IsLong ? (2000, 8000) : (1500, 3500);

    public static TimeSpan DatabaseDowntime => TimeSpan.FromSeconds(IsLong ? 10 : 3);

    public static int DatabaseRestarts => IsLong ? 5 : 1;

    public static int RacingWorkers => 50;

    public static int RacingRounds => IsLong ? 20 : 3;

    public static TimeSpan TwoNodeLoad => TimeSpan.FromSeconds(IsLong ? 60 : 8);

    public static int SlowConsumerChanges => IsLong ? 40_000 : 20_000;
}
