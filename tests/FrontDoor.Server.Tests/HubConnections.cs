using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

public static class HubConnections
{
    /// <summary>A hub client connected through the in-process test server.</summary>
    public static async Task<HubClient> ConnectAsync(FrontDoorApp app, string token)
    {
        var socket = await app.Server.CreateWebSocketClient().ConnectAsync(new Uri($"ws://localhost/hubs/triage?access_token={Uri.EscapeDataString(token)}"), CancellationToken.None);
        return await HubClient.ConnectAsync(socket);
    }
}
