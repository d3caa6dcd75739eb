using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// A minimal SignalR client speaking the JSON hub protocol over a WebSocket: handshake, invocations with
/// completions, and server-sent invocations collected by target.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly WebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<(string Target, JsonElement Argument)> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _reading;
    private int _nextId;

    private HubClient(WebSocket socket)
    {
        _socket = socket;
        _reading = Task.Run(ReadLoopAsync);
    }

    public IReadOnlyList<(string Target, JsonElement Argument)> Received => _received.ToArray();

    public static async Task<HubClient> ConnectAsync(FrontDoorApp app, string token)
    {
        var client = app.Server.CreateWebSocketClient();
        var socket = await client.ConnectAsync(new Uri($"ws://localhost/hubs/triage?access_token={Uri.EscapeDataString(token)}"), CancellationToken.None);
        await SendAsync(socket, """{"protocol":"json","version":1}""");
        var hub = new HubClient(socket);
        await hub._pending.GetOrAdd("handshake", _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromSeconds(10));
        return hub;
    }

    /// <summary>Invokes a hub method; returns its result, or throws with the hub's error message.</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = _pending.GetOrAdd(id, _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously));
        await SendAsync(_socket, JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }));
        var message = await completion.Task.WaitAsync(TimeSpan.FromSeconds(10));
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
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private static Task SendAsync(WebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult result;
            try
            {
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
                _received.Enqueue((message.GetProperty("target").GetString()!, message.GetProperty("arguments")[0]));
                _arrived.Release();
                break;
            case 3:
                _pending.GetOrAdd(message.GetProperty("invocationId").GetString()!, _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(message);
                break;
        }
    }
}

public sealed class HubInvocationException(string message) : Exception(message);
