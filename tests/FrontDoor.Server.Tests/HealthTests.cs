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

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        using var admin = await app.ClientAsAsync("admin");
        var ready = await admin.GetAsync("/health/ready/details");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal(backend, body.GetProperty("store").GetProperty("provider").GetString());
        Assert.True(body.GetProperty("store").GetProperty("reachable").GetBoolean());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("subscriptions").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Ready_says_which_subscriptions_this_node_runs_what_they_handled_and_who_watches(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        await using var wall = await HubConnections.ConnectAsync(app, await FrontDoorApp.TokenAsync(app.CreateClient(), "manager"));
        await wall.InvokeAsync("WatchWall", (object?)null);
        await api.RecordAsync(Api.Contact(needs: ["housing-advice"]));
        await app.CaughtUpAsync();
        await api.FiguresAsync();

        using var manager = await app.ClientAsAsync("manager");
        var body = await manager.GetFromJsonAsync<JsonElement>("/health/ready/details");
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("node").GetString()));
        var subscriptions = body.GetProperty("subscriptions").EnumerateArray().ToList();
        Assert.NotEmpty(subscriptions);

        // One node alone owns every subscription, and each has handled the contact's events.
        Assert.All(subscriptions, s => Assert.True(s.GetProperty("active").GetBoolean(), s.GetRawText()));
        Assert.All(subscriptions, s => Assert.True(s.GetProperty("handled").GetInt64() > 0, s.GetRawText()));

        // Marten's daemon counts the wall's day here too, and has projected every event (the figures waited for it).
        var daemon = Assert.Single(subscriptions, s => s.GetProperty("name").GetString() == "day-activity");
        Assert.Equal(daemon.GetProperty("head").GetInt64(), daemon.GetProperty("checkpoint").GetInt64());
        Assert.Equal("live", daemon.GetProperty("state").GetString());
        Assert.Equal(1, body.GetProperty("live").GetProperty("watchers").GetInt32());
        Assert.Equal(0, body.GetProperty("live").GetProperty("dropped").GetInt64());
    }
}
