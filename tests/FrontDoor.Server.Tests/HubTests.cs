using FrontDoor.Contracts;

using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

public sealed class HubTests
{
    [Theory]
    [MemberData(nameof(FrontDoorApp.Backends), MemberType = typeof(FrontDoorApp))]
    public async Task A_worker_hears_their_own_queue_and_nothing_of_another_services(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        await using var housing = await HubConnections.ConnectAsync(app, await FrontDoorApp.TokenAsync(app.CreateClient(), "worker", "housing"));
        await using var earlyHelp = await HubConnections.ConnectAsync(app, await FrontDoorApp.TokenAsync(app.CreateClient(), "worker", "early-help"));

        var snapshot = await housing.InvokeAsync("WatchQueue", "housing", null);
        Assert.Equal(0, snapshot.GetProperty("items").GetArrayLength());
        await earlyHelp.InvokeAsync("WatchQueue", "early-help", null);

        // Not their queue, not their wall: refused over the hub exactly as over HTTP.
        await Assert.ThrowsAsync<HubInvocationException>(() => housing.InvokeAsync("WatchQueue", "early-help", null));
        await Assert.ThrowsAsync<HubInvocationException>(() => housing.InvokeAsync("WatchWall", (object?)null));

        var housingContact = await api.RecordAsync(Api.Contact("phone", ["homelessness"], "Sleeping in the car."));
        var pushed = await housing.WaitForAsync("queueChanged", m => m.GetProperty("contactId").GetGuid() == housingContact);
        Assert.Equal("housing", pushed.GetProperty("service").GetString());
        Assert.Equal("raised", pushed.GetProperty("change").GetString());
        Assert.Equal("urgent", pushed.GetProperty("priority").GetString());
        Assert.True(pushed.GetProperty("position").GetInt64() > snapshot.GetProperty("position").GetInt64());

        // A later change in early-help's queue reaches its worker; pushes go in log order, so by then the housing
        // change has long been sent — and it was not sent to them.
        var earlyHelpContact = await api.RecordAsync(Api.Contact("phone", ["family-support"], "Parent struggling."));
        await earlyHelp.WaitForAsync("queueChanged", m => m.GetProperty("contactId").GetGuid() == earlyHelpContact);
        Assert.All(earlyHelp.Received, m => Assert.Equal("early-help", m.Argument.GetProperty("service").GetString()));
        Assert.DoesNotContain(housing.Received, m => m.Argument.GetProperty("service").GetString() != "housing");
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_manager_watching_the_wall_sees_the_figures_move()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        await using var wall = await HubConnections.ConnectAsync(app, await FrontDoorApp.TokenAsync(app.CreateClient(), "manager"));

        var snapshot = await wall.InvokeAsync("WatchWall", (object?)null);
        Assert.Equal(0, snapshot.GetProperty("figures").GetProperty("contactsToday").GetInt32());

        await api.RecordAsync(Api.Contact("phone", ["adult-safeguarding"], "Bruises noticed by a carer."));
        var changed = await wall.WaitForAsync("wallChanged", m => m.GetProperty("figures").GetProperty("contactsToday").GetInt32() == 1);
        Assert.True(changed.GetProperty("position").GetInt64() > snapshot.GetProperty("position").GetInt64());
        await app.SettledAsync();
    }

    /// <summary>
    /// Joining the wall once held one pooled connection while asking for a second: walls joining together could take
    /// every connection and then all wait, until each join failed at the pool's timeout.
    /// </summary>
    [Fact]
    public async Task Bug_8_walls_joining_at_once_do_not_starve_the_connection_pool()
    {
        var smallPool = await TestPostgres.ConnectionStringAsync() + ";Maximum Pool Size=8;Timeout=5";
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = smallPool,

            // One manager's token for every wall: the per-user caps are not what this is about.
            ["Live:MaxConnectionsPerUser"] = "100",
            ["Live:InvocationsPerUserPerMinute"] = "1000",
        });
        var token = await FrontDoorApp.TokenAsync(app.CreateClient(), "manager");
        var walls = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => HubConnections.ConnectAsync(app, token)));
        try
        {
            var snapshots = await Task.WhenAll(walls.Select(wall => wall.InvokeAsync("WatchWall", (object?)null)));
            Assert.All(snapshots, snapshot => Assert.True(snapshot.GetProperty("position").GetInt64() >= 0));
        }
        finally
        {
            await Task.WhenAll(walls.Select(wall => wall.DisposeAsync().AsTask()));
        }
    }
}
