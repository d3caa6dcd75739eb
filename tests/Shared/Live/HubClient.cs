using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace FrontDoor.Testing;

/// <summary>
/// A dashboard's connection to <c>/hubs/triage</c> through the ASP.NET Core SignalR client, over WebSockets only (as
/// the pages connect): invocations, and every server push recorded by target (and handed to a callback as it
/// arrives, for timing).
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    /// <summary>What the server pushes to dashboards.</summary>
    private static readonly string[] PushTargets = ["queueChanged", "wallChanged"];

    private readonly HubConnection _connection;
    private readonly ConcurrentQueue<(string Target, JsonElement Argument)> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string, JsonElement>? _onPush;

    private HubClient(HubConnection connection, Action<string, JsonElement>? onPush)
    {
        _connection = connection;
        _onPush = onPush;
        foreach (var target in PushTargets)
        {
            connection.On<JsonElement>(target, argument => Record(target, argument));
        }

        connection.Closed += _ =>
        {
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    public IReadOnlyList<(string Target, JsonElement Argument)> Received => _received.ToArray();

    /// <summary>Completes when the connection ends: the server closed or cut it, or this client was disposed.</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// Connects to the hub at <paramref name="hub"/> as the bearer of <paramref name="token"/>; a test server's
    /// in-memory sockets come in through <paramref name="webSocketFactory"/>.
    /// </summary>
    public static async Task<HubClient> ConnectAsync(Uri hub, string token, Func<WebSocketConnectionContext, CancellationToken, ValueTask<WebSocket>>? webSocketFactory = null, Action<string, JsonElement>? onPush = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(hub, options =>
            {
                options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                options.SkipNegotiation = true;
                options.Transports = HttpTransportType.WebSockets;
                if (webSocketFactory is not null)
                {
                    options.WebSocketFactory = webSocketFactory;
                }
            })
            .Build();
        var client = new HubClient(connection, onPush);
        try
        {
            await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return client;
    }

    /// <summary>Invokes a hub method; returns its result, or throws with the hub's error message.</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        try
        {
            return await _connection.InvokeCoreAsync<JsonElement>(target, arguments).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (HubException ex)
        {
            throw new HubInvocationException(ex.Message);
        }
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
        await _connection.DisposeAsync();
        _closed.TrySetResult();
        _arrived.Dispose();
    }

    private void Record(string target, JsonElement argument)
    {
        _onPush?.Invoke(target, argument);
        _received.Enqueue((target, argument));
        _arrived.Release();
    }
}

public sealed class HubInvocationException(string message) : Exception(message);
