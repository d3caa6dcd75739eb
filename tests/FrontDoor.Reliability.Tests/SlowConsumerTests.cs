using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
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

        using var stalled = await StalledWatcher.ConnectAsync(node.HubAddress(token), Vocabulary.Services);

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
                var raised = new ReferralRaised(referralId, Guid.NewGuid(), service, PriorityCodes.Standard, now.AddDays(5), "need:reliability", [], null, "front-door-router", now);
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
        var (receivedByStalled, closedByServer) = await stalled.DrainAsync(TimeSpan.FromSeconds(60));

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

    /// <summary>
    /// A SignalR connection (JSON protocol) that joins the queues and then reads nothing until asked to drain. (Its
    /// socket keeps the usual buffers: a tiny receive window would make the drain itself crawl.)
    /// </summary>
    private sealed class StalledWatcher : IDisposable
    {
        private const char Separator = '\u001e';
        private readonly ClientWebSocket _socket;
        private readonly StringBuilder _pending = new();

        private StalledWatcher(ClientWebSocket socket) => _socket = socket;

        public static async Task<StalledWatcher> ConnectAsync(Uri address, IReadOnlyList<string> services)
        {
            var webSocket = new ClientWebSocket();
            await webSocket.ConnectAsync(address, CancellationToken.None);
            var watcher = new StalledWatcher(webSocket);
            await watcher.SendAsync("""{"protocol":"json","version":1}""");
            await watcher.ReadUntilAsync(message => message == "{}");
            var id = 0;
            foreach (var service in services)
            {
                id++;
                await watcher.SendAsync($$"""{"type":1,"invocationId":"{{id}}","target":"WatchQueue","arguments":["{{service}}",null]}""");
                var expected = $"\"invocationId\":\"{id}\"";
                await watcher.ReadUntilAsync(message => message.Contains("\"type\":3", StringComparison.Ordinal) && message.Contains(expected, StringComparison.Ordinal));
            }

            return watcher;
        }

        /// <summary>Reads everything the node had sent, until it closes the connection or the bound passes.</summary>
        public async Task<(int QueueChanges, bool ClosedByServer)> DrainAsync(TimeSpan bound)
        {
            var changes = 0;
            using var timeout = new CancellationTokenSource(bound);
            try
            {
                while (true)
                {
                    var message = await ReceiveAsync(timeout.Token);
                    if (message is null)
                    {
                        return (changes, true);
                    }

                    changes += message.Contains("\"target\":\"queueChanged\"", StringComparison.Ordinal) ? 1 : 0;
                }
            }
            catch (Exception ex) when (ex is WebSocketException or IOException)
            {
                return (changes, true);
            }
            catch (OperationCanceledException)
            {
                return (changes, false);
            }
        }

        public void Dispose()
        {
            _socket.Abort();
            _socket.Dispose();
        }

        private Task SendAsync(string json) =>
            _socket.SendAsync(Encoding.UTF8.GetBytes(json + Separator), WebSocketMessageType.Text, true, CancellationToken.None);

        private async Task ReadUntilAsync(Func<string, bool> match)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await ReceiveAsync(timeout.Token) is { } message)
            {
                if (match(message))
                {
                    return;
                }
            }

            throw new InvalidOperationException("The hub closed the connection while joining.");
        }

        /// <summary>One hub message, or null when the server closed the WebSocket.</summary>
        private async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[8192];
            while (true)
            {
                var text = _pending.ToString();
                var end = text.IndexOf(Separator, StringComparison.Ordinal);
                if (end >= 0)
                {
                    _pending.Remove(0, end + 1);
                    return text[..end];
                }

                var result = await _socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                _pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
        }
    }
}
