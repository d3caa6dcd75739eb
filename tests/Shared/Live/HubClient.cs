using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace FrontDoor.Testing;

/// <summary>
/// A minimal SignalR client speaking the JSON hub protocol over a WebSocket: handshake, invocations with
/// completions, server-sent invocations collected by target (and handed to a callback as they arrive, for timing),
/// and a ping every 15 s so the server does not time a quiet watcher out.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly WebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<(string Target, JsonElement Argument)> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Action<string, JsonElement>? _onPush;
    private readonly Task _reading;
    private readonly Task _pinging;
    private int _nextId;
    private TaskCompletionSource? _paused;

    private HubClient(WebSocket socket, Action<string, JsonElement>? onPush)
    {
        _socket = socket;
        _onPush = onPush;
        _reading = Task.Run(ReadLoopAsync);
        _pinging = Task.Run(PingLoopAsync);
    }

    public IReadOnlyList<(string Target, JsonElement Argument)> Received => _received.ToArray();

    /// <summary>Completes the SignalR handshake on a connected WebSocket (to <c>/hubs/triage?access_token=…</c>).</summary>
    public static async Task<HubClient> ConnectAsync(WebSocket socket, Action<string, JsonElement>? onPush = null)
    {
        var hub = new HubClient(socket, onPush);
        await hub.SendAsync("""{"protocol":"json","version":1}""");
        await hub._pending.GetOrAdd("handshake", _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(30));
        return hub;
    }

    /// <summary>
    /// Stops reading from the socket (after the chunk already being read), as a dashboard that stops reading would:
    /// what the server sends piles up in the socket's buffers and then in the server.
    /// </summary>
    public void PauseReading() => _paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ResumeReading() => Interlocked.Exchange(ref _paused, null)?.TrySetResult();

    /// <summary>Completes when the connection ends: the server closed or cut it, or this client was disposed.</summary>
    public Task Closed => _reading;

    /// <summary>Invokes a hub method; returns its result, or throws with the hub's error message.</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = _pending.GetOrAdd(id, _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously));
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }));
        var message = await completion.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (message.TryGetProperty("error", out var error))
        {
            throw new HubInvocationException(error.GetString()!);
        }

        return message.TryGetProperty("result", out var result) ? result : default;
    }

    /// <summary>Waits for a server push matching <paramref name="match"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string target, Func<JsonElement, bool> match, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var found = _received.FirstOrDefault(m => m.Target == target && match(m.Argument));
            if (found.Target is not null)
            {
                return found.Argument;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                throw new TimeoutException($"No {target} push arrived that matched.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The server side may already have closed the socket; either way the connection is over.
        }

        try
        {
            await Task.WhenAll(_reading, _pinging);
        }
        catch (OperationCanceledException)
        {
        }

        _socket.Dispose();
        _stop.Dispose();
        _sending.Dispose();
    }

    /// <summary>One send at a time: a WebSocket allows a single outstanding send.</summary>
    private async Task SendAsync(string json)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task PingLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(15), _stop.Token);
                await SendAsync("""{"type":6}""");
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection is closing; there is nothing left to keep alive.
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult result;
            try
            {
                if (_paused is { } paused)
                {
                    await paused.Task.WaitAsync(_stop.Token);
                }

                result = await _socket.ReceiveAsync(buffer, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                return;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            var all = text.ToString();
            var end = all.LastIndexOf(RecordSeparator);
            if (end < 0)
            {
                continue;
            }

            text.Clear().Append(all[(end + 1)..]);
            foreach (var frame in all[..end].Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                Dispatch(JsonDocument.Parse(frame).RootElement.Clone());
            }
        }
    }

    private void Dispatch(JsonElement message)
    {
        if (!message.TryGetProperty("type", out var type))
        {
            _pending.GetOrAdd("handshake", _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(message);
            return;
        }

        switch (type.GetInt32())
        {
            case 1:
                var target = message.GetProperty("target").GetString()!;
                var argument = message.GetProperty("arguments")[0];
                _onPush?.Invoke(target, argument);
                _received.Enqueue((target, argument));
                _arrived.Release();
                break;
            case 3:
                _pending.GetOrAdd(message.GetProperty("invocationId").GetString()!, _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(message);
                break;
        }
    }
}

public sealed class HubInvocationException(string message) : Exception(message);
