using System.Collections.Concurrent;
using FrontDoor.Domain;
using FrontDoor.Domain.Referrals;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Testing;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// A dashboard that stops reading — a laptop lid closed mid-shift — while thousands of referral changes are pushed.
/// The node's send timeout is set far beyond the test's bounds, so only the bounded outbox can rescue the others:
/// a healthy dashboard must receive every change while the stalled one is still connected, and the stalled one is
/// dropped once its outbox is full.
/// </summary>
public sealed class SlowConsumerTests(ITestOutputHelper output)
{
    /// <summary>The default (<c>Live:OutboxMessages</c>), so the scenario tests what a council runs.</summary>
    private const int Outbox = 1000;

    [Fact]
    public async Task A_dashboard_that_stops_reading_neither_blocks_the_others_nor_is_buffered_without_end()
    {
        await using var cluster = await FaultCluster.StartAsync(nodes: 1, environment: new Dictionary<string, string>
        {
            ["Live__SendTimeout"] = "00:30:00",
        });
        var node = cluster.Nodes[0];
        var token = await node.TokenAsync("manager");

        var healthy = new ConcurrentDictionary<long, byte>();
        await using var reading = await node.ConnectHubAsync(token, (target, message) =>
        {
            if (target == "queueChanged")
            {
                healthy[message.GetProperty("position").GetInt64()] = 0;
            }
        });
        foreach (var service in Vocabulary.Services)
        {
            await reading.InvokeAsync("WatchQueue", service, null);
        }

        await using var stalled = await node.ConnectHubAsync(token);
        foreach (var service in Vocabulary.Services)
        {
            await stalled.InvokeAsync("WatchQueue", service, null);
        }

        stalled.PauseReading();

        // Referral changes as the router would raise them, many and fast: far more than the stalled socket's
        // kernel buffers and the outbox hold together.
        var appended = new ConcurrentBag<long>();
        await using (var store = await cluster.OpenStoreAsync())
        {
            var now = DateTimeOffset.UtcNow;
            await Parallel.ForAsync(0, Scale.SlowConsumerChanges, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                var referralId = Guid.NewGuid();
                var service = Vocabulary.Services[i % Vocabulary.Services.Count];
                var raised = new ReferralRaised(referralId, Guid.NewGuid(), null, service, PriorityCodes.Standard, now.AddDays(5), "need:reliability", [], null, "front-door-router", now);
                var result = await store.Events.AppendAsync(
                    StreamIds.Referral(referralId),
                    ExpectedVersion.NoStream,
                    [DomainEventSerializer.ToEventData(raised, Guid.NewGuid(), new EventMetadata(Actor: "front-door-router"))],
                    ct);
                appended.Add(result.Position);
            });
        }

        await Eventually.True(() => appended.All(healthy.ContainsKey), $"all {appended.Count} changes pushed to the dashboard that reads", 180);
        var report = (await node.ReadinessAsync())!.Value.Body.GetProperty("live");

        // The stalled dashboard reads again: it gets what the kernel held for it, then finds the connection closed.
        stalled.ResumeReading();
        var closedByServer = await Task.WhenAny(stalled.Closed, Task.Delay(TimeSpan.FromSeconds(60))) == stalled.Closed;
        var receivedByStalled = stalled.Received.Count(m => m.Target == "queueChanged");

        FaultFigures.Write(output, "slow-consumer", new Dictionary<string, object>
        {
            ["changesPushed"] = appended.Count,
            ["receivedByReadingDashboard"] = appended.Count(healthy.ContainsKey),
            ["receivedByStalledDashboardBeforeDrop"] = receivedByStalled,
            ["outboxMessages"] = Outbox,
            ["droppedConnections"] = report.GetProperty("dropped").GetInt64(),
        });

        Assert.True(report.GetProperty("dropped").GetInt64() >= 1, "the node did not drop the dashboard that stopped reading");
        Assert.True(closedByServer, "the stalled dashboard's connection was never closed by the node");
        Assert.True(receivedByStalled < appended.Count, $"the stalled dashboard got all {receivedByStalled} changes, so it was never stalled");
    }
}
