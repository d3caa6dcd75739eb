using System.Diagnostics;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// PostgreSQL stopped as a crash would stop it (<c>-m immediate</c>) while agents record contacts, kept down for a
/// few seconds, then started again. FrontDoor must say it is not ready while the database is away, be ready again
/// by itself soon after it returns, and lose and double nothing.
/// </summary>
public sealed class DatabaseRestartTests(ITestOutputHelper output)
{
    /// <summary>The promise: ready again within 5 s of the database accepting connections.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_database_crash_is_reported_not_ready_and_recovered_from_without_loss()
    {
        await using var cluster = await FaultCluster.StartAsync(nodes: 1);
        var node = cluster.Nodes[0];
        var load = new ContactLoad(cluster.Addresses, await cluster.TokensAsync("agent", Scale.Agents));
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        var recoveries = new List<double>();
        var notReadyReports = 0;
        try
        {
            for (var restart = 0; restart < Scale.DatabaseRestarts; restart++)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                var before = load.Acknowledged.Count;
                await FaultDatabase.CrashAsync();

                // While the database is down the node must say so: a load balancer or orchestrator acts on this.
                var down = Stopwatch.StartNew();
                var sawNotReady = false;
                while (down.Elapsed < Scale.DatabaseDowntime)
                {
                    if (await node.ReadinessAsync() is { Status: 503 } report && !report.Body.GetProperty("store").GetProperty("reachable").GetBoolean())
                    {
                        sawNotReady = true;
                        notReadyReports++;
                    }

                    await Task.Delay(250);
                }

                Assert.True(sawNotReady, "the node never reported not-ready while its database was down");
                await FaultDatabase.ResumeAsync();
                var back = Stopwatch.StartNew();
                await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
                recoveries.Add(back.Elapsed.TotalSeconds);

                // Ready must mean working: contacts are acknowledged again.
                await Testing.Eventually.True(() => load.Acknowledged.Count > before, "contacts acknowledged after the database came back", 60);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        var audit = await cluster.AuditAsync(load.Acknowledged);
        FaultFigures.Write(output, "postgres-restart", new Dictionary<string, object>(FaultFigures.Of(audit))
        {
            ["restarts"] = Scale.DatabaseRestarts,
            ["downSeconds"] = Scale.DatabaseDowntime.TotalSeconds,
            ["notReadyReports"] = notReadyReports,
            ["readyAfterDatabaseSecondsMax"] = Math.Round(recoveries.Max(), 2),
            ["retries"] = load.Retries,
        });

        Assert.Equal(0, load.Abandoned);
        Assert.True(audit.Clean, $"{audit}\n{cluster.RecentLogs}");
        Assert.All(recoveries, seconds => Assert.True(seconds <= RecoveryBound.TotalSeconds, $"ready {seconds:F1} s after the database returned; the bound is {RecoveryBound.TotalSeconds} s"));
    }
}
