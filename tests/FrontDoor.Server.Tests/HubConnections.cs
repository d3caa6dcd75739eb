using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

public static class HubConnections
{
    /// <summary>A hub client connected through the in-process test server.</summary>
    public static async Task<HubClient> ConnectAsync(FrontDoorApp app, string token)
    {
        var sockets = app.Server.CreateWebSocketClient();
        return await HubClient.ConnectAsync(new Uri("http://localhost/hubs/triage"), token, (context, cancellationToken) =>
            // A test server's socket carries no headers of the client's own: the token goes in the query, as a browser sends it.
            new ValueTask<System.Net.WebSockets.WebSocket>(sockets.ConnectAsync(new Uri($"{context.Uri}{(context.Uri.Query.Length > 0 ? "&" : "?")}access_token={Uri.EscapeDataString(token)}"), cancellationToken)));
    }
}
