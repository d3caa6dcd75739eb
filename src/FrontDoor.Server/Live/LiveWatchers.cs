using System.Collections.Concurrent;
using System.Threading.Channels;
using FrontDoor.Server.Infrastructure.Health;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace FrontDoor.Server.Live;

/// <summary>
/// Every dashboard connection on this node, the queues and wall it watches, and an outbox of bounded size per
/// connection drained by its own sender. A connection that stops reading fills only its own outbox — the others
/// keep receiving at their own pace — and once that outbox is full the connection is dropped: its client
/// reconnects and starts again from a snapshot, which is cheaper for everyone than buffering without end.
/// A push is serialised once, however many connections receive it, as SignalR's own group sends do.
/// </summary>
public sealed partial class LiveWatchers : IDashboardConnections, IDisposable
{
    private readonly ConcurrentDictionary<string, Watcher> _watchers = new(StringComparer.Ordinal);
    private readonly int _outboxSize;
    private readonly ILogger<LiveWatchers> _logger;
    private long _dropped;

    public LiveWatchers(IConfiguration configuration, ILogger<LiveWatchers> logger)
    {
        _logger = logger;
        _outboxSize = configuration.GetValue("Live:OutboxMessages", 1000);
        if (_outboxSize < 1)
        {
            throw new InvalidOperationException("Live:OutboxMessages must be at least 1.");
        }
    }

    public int Count => _watchers.Count;

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Connected(HubConnectionContext connection)
    {
        var outbox = Channel.CreateBounded<SerializedHubMessage>(new BoundedChannelOptions(_outboxSize) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var watcher = new Watcher(connection, outbox);
        if (_watchers.TryAdd(connection.ConnectionId, watcher))
        {
            _ = Task.Run(() => SendAsync(watcher));
        }
    }

    public void Disconnected(string connectionId)
    {
        if (_watchers.TryRemove(connectionId, out var watcher))
        {
            watcher.Outbox.Writer.TryComplete();
        }
    }

    public void Join(string connectionId, string group)
    {
        if (_watchers.TryGetValue(connectionId, out var watcher))
        {
            watcher.Groups[group] = 0;
        }
    }

    public void Leave(string connectionId, string group)
    {
        if (_watchers.TryGetValue(connectionId, out var watcher))
        {
            watcher.Groups.TryRemove(group, out _);
        }
    }

    /// <summary>Queues the push for every watcher of the group; never waits for any of them.</summary>
    public void Publish(string group, string method, object message)
    {
        SerializedHubMessage? serialized = null;
        foreach (var watcher in _watchers.Values)
        {
            if (!watcher.Groups.ContainsKey(group))
            {
                continue;
            }

            serialized ??= new SerializedHubMessage(new InvocationMessage(method, [message]));
            if (!watcher.Outbox.Writer.TryWrite(serialized) && watcher.Outbox.Writer.TryComplete())
            {
                Interlocked.Increment(ref _dropped);
                LogDropped(_logger, watcher.Connection.ConnectionId, _outboxSize);
                watcher.Connection.Abort();
            }
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers.Values)
        {
            watcher.Outbox.Writer.TryComplete();
        }
    }

    /// <summary>One sender per connection keeps its pushes in order; a write that cannot finish holds up only this one.</summary>
    private async Task SendAsync(Watcher watcher)
    {
        var aborted = watcher.Connection.ConnectionAborted;
        var reader = watcher.Outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync(aborted).ConfigureAwait(false))
            {
                while (reader.TryRead(out var message))
                {
                    // Most writes land in the connection's buffer at once; only a full one is waited for.
                    var write = watcher.Connection.WriteAsync(message, aborted);
                    if (!write.IsCompletedSuccessfully)
                    {
                        await write.ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The connection closed; its remaining pushes have nowhere to go.
        }
        catch (Exception ex)
        {
            LogSendFailed(_logger, ex, watcher.Connection.ConnectionId);
            watcher.Connection.Abort();
        }
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Dashboard connection {ConnectionId} stopped reading; dropped after {Outbox} pushes waited for it")]
    private static partial void LogDropped(ILogger logger, string connectionId, int outbox);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Pushing to dashboard connection {ConnectionId} failed; dropping it")]
    private static partial void LogSendFailed(ILogger logger, Exception ex, string connectionId);

    private sealed class Watcher(HubConnectionContext connection, Channel<SerializedHubMessage> outbox)
    {
        public HubConnectionContext Connection { get; } = connection;

        public Channel<SerializedHubMessage> Outbox { get; } = outbox;

        public ConcurrentDictionary<string, byte> Groups { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>
/// SignalR's own connection bookkeeping, which also tells <see cref="LiveWatchers"/> of each connection as it opens
/// and closes: that is where the connection itself (not just its id) is handed over, so pushes can be written to it
/// directly.
/// </summary>
public sealed class WatchedHubLifetimeManager(LiveWatchers watchers, ILogger<DefaultHubLifetimeManager<TriageHub>> logger)
    : DefaultHubLifetimeManager<TriageHub>(logger)
{
    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await base.OnConnectedAsync(connection).ConfigureAwait(false);
        watchers.Connected(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        watchers.Disconnected(connection.ConnectionId);
        return base.OnDisconnectedAsync(connection);
    }
}
