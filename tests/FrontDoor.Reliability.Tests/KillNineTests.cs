using System.Diagnostics;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// The server process killed with SIGKILL at random moments while agents record contacts, and started again each
/// time. Nothing acknowledged may be lost, nothing recorded or referred twice, and everything ends owned.
/// </summary>
public sealed class KillNineTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("postgres")]
    [InlineData("embedded")]
    public async Task Killing_the_server_under_load_loses_nothing_and_doubles_nothing(string provider)
    {
        await using var cluster = await FaultCluster.StartAsync(nodes: 1, provider);
        var node = cluster.Nodes[0];
        var load = new ContactLoad(cluster.Addresses, await cluster.TokensAsync("agent", Scale.Agents));
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        var random = new Random(9);
        var restarts = new List<double>();
        var acknowledgedBeforeKills = new List<int>();
        try
        {
            for (var kill = 0; kill < Scale.Kills; kill++)
            {
                await Task.Delay(random.Next(Scale.LifeBetweenKills.MinMs, Scale.LifeBetweenKills.MaxMs));
                acknowledgedBeforeKills.Add(load.Acknowledged.Count);
                await node.KillAsync();
                var restarting = Stopwatch.StartNew();
                await node.StartAgainAsync();
                restarts.Add(restarting.Elapsed.TotalSeconds);
            }

            // A last stretch of load on the final process, so it too is asked to finish what the others started.
            await Task.Delay(Scale.LifeBetweenKills.MinMs);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        var audit = await cluster.AuditAsync(load.Acknowledged);
        FaultFigures.Write(output, $"kill-9-{provider}", new Dictionary<string, object>(FaultFigures.Of(audit))
        {
            ["kills"] = Scale.Kills,
            ["retries"] = load.Retries,
            ["abandoned"] = load.Abandoned,
            ["restartToReadySecondsMax"] = Math.Round(restarts.Max(), 2),
        });

        // The kills must have landed under load, or they proved nothing.
        Assert.True(acknowledgedBeforeKills.Zip(acknowledgedBeforeKills.Skip(1), (a, b) => b > a).All(x => x), $"contacts acknowledged before each kill: {string.Join(", ", acknowledgedBeforeKills)}");
        Assert.True(load.Retries > 0, "no request failed, so no kill landed mid-request");
        Assert.Equal(0, load.Abandoned);
        Assert.True(audit.Clean, $"{audit}\n{cluster.RecentLogs}");
    }
}
