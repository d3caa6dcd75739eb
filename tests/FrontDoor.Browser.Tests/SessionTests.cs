using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Testing;
using Microsoft.Playwright;

namespace FrontDoor.Browser.Tests;

/// <summary>
/// Signing in as a contact centre needs it: one sign-in for every tab, a sign-out that signs out every tab, an expired
/// sign-in that asks again and gives back what was typed, and a clear page where a role has no business.
/// </summary>
public sealed class SessionTests(Browser browser) : IClassFixture<Browser>
{
    /// <summary>Moving on is the new address being committed: a page's load event can lag far behind on a busy machine.</summary>
    private static readonly PageWaitForURLOptions Moved = new() { WaitUntil = WaitUntilState.Commit, Timeout = 20_000 };

    [Fact]
    public async Task Bug_18_the_agents_draft_survives_a_reload_and_an_expired_sign_in_and_is_saved_once()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.NewContextAsync(app.Address!);
        var agent = await Browser.SignInAsync(context, "agent");

        await agent.CheckAsync("#channel-lets-talk");
        await agent.FillAsync("#resident-name", "Bethan Owen");
        await agent.FillAsync("#resident-dob-day", "3");
        await agent.FillAsync("#resident-dob-month", "10");
        await agent.FillAsync("#resident-dob-year", "1972");
        await agent.FillAsync("#summary", "Can't afford to top up the prepayment meter this week.");
        await agent.CheckAsync("#need-food-and-fuel");
        var site = await agent.InputValueAsync("#site");

        await agent.ReloadAsync();
        await Browser.ReadyAsync(agent);
        await Assertions.Expect(agent.Locator("#draft-restored")).ToBeVisibleAsync();
        Assert.True(await agent.IsCheckedAsync("#channel-lets-talk"));
        Assert.Equal((site, "Bethan Owen", "1972", "Can't afford to top up the prepayment meter this week."), (await agent.InputValueAsync("#site"), await agent.InputValueAsync("#resident-name"), await agent.InputValueAsync("#resident-dob-year"), await agent.InputValueAsync("#summary")));
        Assert.True(await agent.IsCheckedAsync("#need-food-and-fuel"));

        // The sign-in runs out while the agent is typing: the save is refused, the page asks for the sign-in again
        // and says why, and after it the draft is back.
        await agent.EvaluateAsync("() => localStorage.setItem('frontdoor.token', 'no.longer.valid')");
        await Browser.FollowAsync(agent, () => agent.ClickAsync("#save"), url => url.Contains("/sign-in/", StringComparison.Ordinal) && url.Contains("why=expired", StringComparison.Ordinal));
        await Assertions.Expect(agent.Locator("#why")).ToContainTextAsync("Your sign-in has expired");
        await Browser.ReadyAsync(agent);
        await agent.SelectOptionAsync("#role", "agent");
        await Browser.FollowAsync(agent, () => agent.ClickAsync("button[type=submit]"), url => url.EndsWith("/agent/", StringComparison.Ordinal));
        await Browser.ReadyAsync(agent);
        Assert.Equal("Bethan Owen", await agent.InputValueAsync("#resident-name"));
        Assert.Equal(0, await app.Store.ReadHeadPositionAsync());

        // Saved twice (a double press): one contact.
        await agent.EvaluateAsync("() => { document.getElementById('save').click(); document.getElementById('save').click(); }");
        await Assertions.Expect(agent.Locator("#outcome-text")).ToContainTextAsync("Routed.");
        await app.CaughtUpAsync();
        using var manager = await app.ClientAsAsync("manager");
        var search = await manager.PostAsJsonAsync("/api/residents/search", new { name = "Bethan Owen" });
        var found = JsonDocument.Parse(await search.Content.ReadAsStringAsync()).RootElement.GetProperty("residents");
        Assert.Equal(1, found.GetArrayLength());
        Assert.Equal(1, found[0].GetProperty("contactCount").GetInt32());

        // Saved: a reload brings back nothing.
        await agent.ReloadAsync();
        await Browser.ReadyAsync(agent);
        await Assertions.Expect(agent.Locator("#draft-restored")).ToBeHiddenAsync();
        Assert.Equal(string.Empty, await agent.InputValueAsync("#summary"));
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_18_one_sign_in_serves_every_tab_and_signing_out_in_one_signs_out_all()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.NewContextAsync(app.Address!);
        var wall = await Browser.SignInAsync(context, "manager");
        await Assertions.Expect(wall.Locator("#connection-status")).ToHaveTextAsync("Live");

        // A second tab opens without signing in, and its menu lists what a manager may open.
        var residents = await context.NewPageAsync();
        await residents.GotoAsync("/residents/");
        await Browser.ReadyAsync(residents);
        Assert.EndsWith("/residents/", residents.Url, StringComparison.Ordinal);
        var menu = residents.Locator("#staff-menu a");
        Assert.Equal(["Wall", "Adult social care", "Housing", "Poverty support", "Early help", "Front door triage", "Residents", "Sign out"], await menu.AllInnerTextsAsync());
        await Assertions.Expect(residents.Locator("#staff-menu a[aria-current=page]")).ToHaveTextAsync("Residents");

        // The wall, in another tab, follows the sign-out: its wait starts before the click, as FollowAsync's does.
        var wallLeaves = wall.WaitForURLAsync(url => url.Contains("/sign-in/", StringComparison.Ordinal), Moved);
        await Browser.FollowAsync(residents, () => residents.ClickAsync("#sign-out"), url => url.Contains("why=signed-out", StringComparison.Ordinal));
        await Assertions.Expect(residents.Locator("#why")).ToHaveTextAsync("You have signed out.");
        await wallLeaves;
    }

    [Fact]
    public async Task Bug_18_a_live_page_that_loses_its_sign_in_asks_for_it_again_instead_of_reconnecting_for_ever()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.NewContextAsync(app.Address!);
        var queue = await Browser.SignInAsync(context, "worker", "housing");
        await Assertions.Expect(queue.Locator("#connection-status")).ToHaveTextAsync("Live");

        await Browser.FollowAsync(queue, () => queue.EvaluateAsync("() => { localStorage.setItem('frontdoor.token', 'no.longer.valid'); return window.frontDoorHub.stop(); }"), url => url.Contains("/sign-in/", StringComparison.Ordinal) && url.Contains("why=expired", StringComparison.Ordinal));
        Assert.Contains("next=%2Fqueues%2Fhousing", queue.Url, StringComparison.Ordinal);
    }

    public static TheoryData<string, string?, string, string> Refused => new()
    {
        { "worker", "housing", "/wall/", "Housing queue" },
        { "worker", "housing", "/queues/poverty-support", "Housing queue" },
        { "worker", "housing", "/agent/", "Housing queue" },
        { "agent", null, "/queues/housing", "Record a contact" },
        { "manager", null, "/agent/", "Wall" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Bug_18_a_role_that_may_not_open_a_page_is_told_so_and_where_it_can_go(string role, string? service, string path, string firstAllowed)
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.NewContextAsync(app.Address!);
        var home = await Browser.SignInAsync(context, role, service);
        await home.GotoAsync(path);
        await Browser.ReadyAsync(home);

        await Assertions.Expect(home.Locator("h1")).ToHaveTextAsync("You cannot open this page");
        await Assertions.Expect(home.Locator("#allowed-pages a").First).ToHaveTextAsync(firstAllowed);
        Assert.StartsWith("You cannot open this page", await home.TitleAsync(), StringComparison.Ordinal);
    }
}
