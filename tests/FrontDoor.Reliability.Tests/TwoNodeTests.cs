using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using FrontDoor.EventStore;
using FrontDoor.Testing;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// Two FrontDoor processes on one PostgreSQL database with the load spread over both: each subscription runs on one
/// node at a time; when the node running them is killed the other takes them over; and a manager's dashboard on the
/// surviving node hears of every referral change, before and after the kill.
/// </summary>
public sealed class TwoNodeTests(ITestOutputHelper output)
{
    /// <summary>The promise: the survivor owns every subscription within 10 s of the kill.</summary>
    private static readonly TimeSpan TakeoverBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task One_node_runs_each_subscription_and_the_other_takes_over_when_it_dies()
    {
        await using var cluster = await FaultCluster.StartAsync(nodes: 2);
        var owners = await OwnersAsync(cluster.Nodes);
        Assert.True(owners.Count == LogAudit.Subscriptions.Length, $"not every subscription has an owner: {string.Join(", ", owners.Keys)}");

        // The node owning the router is the one to kill; the dashboard watches the other.
        var victim = owners[Server.Routing.ContactRouter.Name];
        var survivor = cluster.Nodes.Single(n => n != victim);
        var pushed = new ConcurrentBag<long>();
        await using var dashboard = await survivor.ConnectHubAsync(await survivor.TokenAsync("manager"), (target, message) =>
        {
            if (target == "queueChanged")
            {
                pushed.Add(message.GetProperty("position").GetInt64());
            }
        });
        foreach (var service in Domain.Vocabulary.Services)
        {
            await dashboard.InvokeAsync("WatchQueue", service, null);
        }

        long watchingFrom;
        await using (var store = await cluster.OpenStoreAsync())
        {
            watchingFrom = await store.Events.ReadHeadPositionAsync();
        }

        var load = new ContactLoad(cluster.Addresses, await cluster.TokensAsync("agent", Scale.Agents));
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        double takeoverSeconds;
        var samples = 0;
        try
        {
            // While both live, every sample finds each subscription active on exactly one node, and the standby
            // node handles nothing: handler executions happen on the owner only.
            var sampling = Stopwatch.StartNew();
            while (sampling.Elapsed < Scale.TwoNodeLoad)
            {
                var reports = await Task.WhenAll(cluster.Nodes.Select(n => n.ReadinessAsync()));
                foreach (var subscription in LogAudit.Subscriptions)
                {
                    var active = reports.Count(r => Subscription(r!.Value.Body, subscription).GetProperty("active").GetBoolean());
                    Assert.True(active == 1, $"{subscription} active on {active} nodes at once");
                }

                samples++;
                await Task.Delay(200);
            }

            var standbyReport = (await survivor.ReadinessAsync())!.Value.Body;
            foreach (var (subscription, owner) in owners)
            {
                if (owner == victim)
                {
                    Assert.Equal(0, Subscription(standbyReport, subscription).GetProperty("handled").GetInt64());
                }
            }

            Assert.True(load.Acknowledged.Count > 0);
            await victim.KillAsync();
            var killed = Stopwatch.StartNew();
            await Eventually.True(
                async () => (await OwnersAsync([survivor])).Count == LogAudit.Subscriptions.Length,
                "the survivor owning every subscription",
                60);
            takeoverSeconds = killed.Elapsed.TotalSeconds;

            // More load, now served by the survivor alone.
            var afterKill = load.Acknowledged.Count;
            await Eventually.True(() => load.Acknowledged.Count > afterKill + 20, "contacts acknowledged after the kill", 60);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        // Every change to every referral since the dashboard joined reached it, once.
        await LogAudit.WaitUntilCaughtUpAsync([survivor]);
        List<long> changes = [];
        await using (var store = await cluster.OpenStoreAsync())
        {
            await foreach (var recorded in store.Events.ReadAllBetweenAsync(watchingFrom, await store.Events.ReadHeadPositionAsync()))
            {
                if (StreamName.CategoryOf(recorded.StreamId) == "referral")
                {
                    changes.Add(recorded.Position);
                }
            }
        }

        await Eventually.True(() => changes.All(pushed.Contains), "every referral change pushed to the dashboard on the survivor", 60);
        var received = pushed.ToList();
        var audit = await cluster.AuditAsync(load.Acknowledged);
        FaultFigures.Write(output, "two-nodes", new Dictionary<string, object>(FaultFigures.Of(audit))
        {
            ["exclusivitySamples"] = samples,
            ["takeoverSeconds"] = Math.Round(takeoverSeconds, 2),
            ["referralChanges"] = changes.Count,
            ["pushedToSurvivorDashboard"] = received.Count,
            ["missedByDashboard"] = changes.Count(c => !received.Contains(c)),
        });

        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.True(takeoverSeconds <= TakeoverBound.TotalSeconds, $"takeover took {takeoverSeconds:F1} s; the bound is {TakeoverBound.TotalSeconds} s");
        Assert.True(audit.Clean, $"{audit}\n{cluster.RecentLogs}");
    }

    /// <summary>Which node each subscription is active on, from the nodes' own reports.</summary>
    private static async Task<Dictionary<string, ServerProcess>> OwnersAsync(IEnumerable<ServerProcess> nodes)
    {
        var owners = new Dictionary<string, ServerProcess>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (await node.ReadinessAsync() is not { } report)
            {
                continue;
            }

            foreach (var subscription in report.Body.GetProperty("subscriptions").EnumerateArray().Where(s => s.GetProperty("active").GetBoolean()))
            {
                owners[subscription.GetProperty("name").GetString()!] = node;
            }
        }

        return owners;
    }

    private static JsonElement Subscription(JsonElement report, string name) =>
        report.GetProperty("subscriptions").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
}
