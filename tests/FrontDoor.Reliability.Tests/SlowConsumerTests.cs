using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using FrontDoor.Domain;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Store;
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

        // The SignalR client keeps draining its socket into memory whatever its handlers do, so it cannot stop
        // reading: the stalled dashboard is a bare socket that watches the queues and then reads nothing.
        using var stalled = await StalledDashboard.WatchAsync(node.Address, token, Vocabulary.Services);

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
                var raised = new ReferralRaised(referralId, Guid.NewGuid(), null, service, PriorityCodes.Standard, now.AddDays(5), "need:reliability", [], null, "system:router", now);
                var result = await store.Events.AppendAsync(
                    StreamIds.Referral(referralId),
                    ExpectedVersion.NoStream,
                    [DomainEventSerializer.ToEventData(raised, Guid.NewGuid(), new EventMetadata(Actor: "system:router"))],
                    ct);
                appended.Add(result.Position);
            });
        }

        await Eventually.True(() => appended.All(healthy.ContainsKey), $"all {appended.Count} changes pushed to the dashboard that reads", 180);
        var report = (await node.ReadinessAsync())!.Value.Body.GetProperty("live");

        // The stalled dashboard reads again: it gets what the kernel held for it, then finds the connection closed.
        var (receivedByStalled, closedByServer) = await stalled.ReadToEndAsync(TimeSpan.FromSeconds(60));

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
    /// A dashboard whose reading stops: a WebSocket that completes the SignalR handshake (JSON protocol), asks to
    /// watch queues, and then leaves whatever the server sends in the socket until <see cref="ReadToEndAsync"/>.
    /// </summary>
    private sealed class StalledDashboard(ClientWebSocket socket) : IDisposable
    {
        private const char RecordSeparator = '\u001e';

        private readonly StringBuilder _unread = new();

        // A chunk can end inside a character: the decoder carries the partial bytes into the next one.
        private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();

        public static async Task<StalledDashboard> WatchAsync(Uri node, string token, IEnumerable<string> services)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://{node.Authority}/hubs/triage?access_token={Uri.EscapeDataString(token)}"), CancellationToken.None);
            var dashboard = new StalledDashboard(socket);
            var watches = services.ToList();
            await dashboard.SendAsync("""{"protocol":"json","version":1}""");
            for (var i = 0; i < watches.Count; i++)
            {
                await dashboard.SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = i.ToString(CultureInfo.InvariantCulture), target = "WatchQueue", arguments = new object?[] { watches[i], null } }));
            }

            // Every watch is answered before reading stops, so the server is pushing to it from here on.
            var answered = 0;
            await dashboard.ReadAsync(frame =>
            {
                answered += frame.TryGetProperty("type", out var type) && type.GetInt32() == 3 ? 1 : 0;
                return answered < watches.Count;
            });
            return dashboard;
        }

        /// <summary>Reads on until the server closes the connection: the pushes it got, and whether it was closed.</summary>
        public async Task<(int QueueChanges, bool ClosedByServer)> ReadToEndAsync(TimeSpan within)
        {
            var changes = 0;
            using var deadline = new CancellationTokenSource(within);
            try
            {
                await ReadAsync(
                    frame =>
                    {
                        changes += frame.TryGetProperty("target", out var target) && target.GetString() == "queueChanged" ? 1 : 0;
                        return true;
                    },
                    deadline.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                // Cut rather than closed, or still open at the deadline: told apart below.
            }

            return (changes, !deadline.IsCancellationRequested);
        }

        public void Dispose() => socket.Dispose();

        private Task SendAsync(string json) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

        /// <summary>
        /// Hands each frame to <paramref name="more"/> until it says stop or the connection ends; what was received
        /// beyond the frame it stopped at is kept for the next read.
        /// </summary>
        private async Task ReadAsync(Func<JsonElement, bool> more, CancellationToken cancellationToken = default)
        {
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var all = _unread.ToString();
                var end = all.LastIndexOf(RecordSeparator);
                if (end >= 0)
                {
                    var frames = all[..end].Split(RecordSeparator);
                    for (var i = 0; i < frames.Length; i++)
                    {
                        using var document = JsonDocument.Parse(frames[i]);
                        if (!more(document.RootElement))
                        {
                            _unread.Clear().AppendJoin(RecordSeparator, frames[(i + 1)..]);
                            if (i + 1 < frames.Length)
                            {
                                _unread.Append(RecordSeparator);
                            }

                            _unread.Append(all[(end + 1)..]);
                            return;
                        }
                    }

                    _unread.Clear().Append(all[(end + 1)..]);
                }

                if (socket.State != WebSocketState.Open)
                {
                    return;
                }

                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var chars = new char[_utf8.GetCharCount(buffer, 0, result.Count)];
                _unread.Append(chars, 0, _utf8.GetChars(buffer, 0, result.Count, chars, 0));
            }
        }
    }
}
