using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

public sealed class HealthTests
{
    public static TheoryData<string> Backends => FrontDoorApp.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Live_and_ready_report_the_store_and_its_subscriptions(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        using var client = app.CreateClient();

        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal(backend, body.GetProperty("store").GetProperty("provider").GetString());
        Assert.True(body.GetProperty("store").GetProperty("reachable").GetBoolean());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("subscriptions").ValueKind);
    }
}
