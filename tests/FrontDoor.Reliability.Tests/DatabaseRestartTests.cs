using System.Diagnostics;
using FrontDoor.Testing;

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

                // While the database is down the node must say so — every time it is asked: a load balancer or
                // orchestrator acts on this. The database comes back whatever happens here, or every later
                // scenario would fail for this one's sake.
                var readyWhileDown = 0;
                try
                {
                    var down = Stopwatch.StartNew();
                    while (down.Elapsed < Scale.DatabaseDowntime)
                    {
                        switch (await node.ReadinessAsync())
                        {
                            case { Status: 503 } report when !report.Body.GetProperty("store").GetProperty("reachable").GetBoolean():
                                notReadyReports++;
                                break;
                            case { Status: 200 }:
                                readyWhileDown++;
                                break;
                        }

                        await Task.Delay(250);
                    }
                }
                finally
                {
                    await FaultDatabase.ResumeAsync();
                }

                Assert.Equal(0, readyWhileDown);
                var back = Stopwatch.StartNew();
                await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
                recoveries.Add(back.Elapsed.TotalSeconds);

                // Ready must mean working: contacts are acknowledged again.
                await Eventually.True(() => load.Acknowledged.Count > before, "contacts acknowledged after the database came back", 60);
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

        Assert.True(notReadyReports >= Scale.DatabaseRestarts, $"only {notReadyReports} not-ready reports over {Scale.DatabaseRestarts} outages");
        Assert.Equal(0, load.Abandoned);
        Assert.True(audit.Clean, $"{audit}\n{cluster.RecentLogs}");
        Assert.All(recoveries, seconds => Assert.True(seconds <= RecoveryBound.TotalSeconds, $"ready {seconds:F1} s after the database returned; the bound is {RecoveryBound.TotalSeconds} s"));
    }
}
