using System.Text.Json;
using FrontDoor.Testing;
using Microsoft.Playwright;

namespace FrontDoor.Browser.Tests;

/// <summary>
/// A manager goes from a figure on the wall to the work behind it; the contact centre does check-backs from the front
/// door's queue, which hears of them live.
/// </summary>
public sealed class ManagerAndFrontDoorTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Bug_17_a_manager_drills_from_the_overdue_figure_on_the_wall_to_the_list_and_on_to_the_case()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?> { ["FrontDoor:ImmediateTarget"] = "00:00:01" }, kestrel: true);
        var referralId = await RecordAsync(app, "adult-safeguarding", "Neighbour heard shouting and a fall; she lives alone.");

        await using var context = await browser.NewContextAsync(app.Address!, bypassCsp: true);
        var wall = await Browser.SignInAsync(context, "manager");
        await Expect(wall.Locator("#connection-status")).ToHaveTextAsync("Live");
        await Expect(wall.Locator("#overdue")).ToHaveTextAsync("1", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });
        await Expect(wall.Locator("#unclaimed-urgent")).ToHaveTextAsync("1");
        await Expect(wall.Locator("#unclaimed-urgent")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("fd-alert"));
        await Browser.AssertNoSeriousAccessibilityViolationAsync(wall);
        await wall.SetViewportSizeAsync(375, 740);
        Assert.True(await wall.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 375"), "The wall scrolls sideways at 375 px.");

        await wall.Locator("a[href='/work/?show=overdue']").FocusAsync();
        await Browser.FollowAsync(wall, () => wall.Keyboard.PressAsync("Enter"), "**/work/?show=overdue");
        await Browser.ReadyAsync(wall);
        await Expect(wall.Locator("#work-title")).ToHaveTextAsync("Overdue referrals");
        await Expect(wall.Locator("#work-items tr")).ToHaveCountAsync(1);
        await Expect(wall.Locator("#work-items tr")).ToContainTextAsync("Nobody – waiting");
        await Browser.AssertNoSeriousAccessibilityViolationAsync(wall);

        Assert.True(await wall.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 375"), "The work list scrolls sideways at 375 px.");
        await wall.Locator($"a[data-case='{referralId:D}']").FocusAsync();
        await Browser.FollowAsync(wall, () => wall.Keyboard.PressAsync("Enter"), $"**/cases/{referralId:D}");
        await Browser.ReadyAsync(wall);
        await Expect(wall.Locator("#case-summary")).ToHaveTextAsync("Neighbour heard shouting and a fall; she lives alone.");
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_17_a_check_back_arrives_live_in_the_front_door_queue_and_the_agent_records_it_by_keyboard()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.NewContextAsync(app.Address!, bypassCsp: true);
        var agent = await Browser.SignInAsync(context, "agent", next: "/queues/front-door-triage");
        await Expect(agent.Locator("#connection-status")).ToHaveTextAsync("Live");
        await Expect(agent.Locator("#queue-empty")).ToBeVisibleAsync();

        // Signposted at a welcoming space: the check-back is set at once, and the queue hears of it.
        using (var agentApi = await app.ClientAsAsync("agent"))
        {
            using var recorded = await agentApi.PostAsync("/api/contacts", Json(new { channel = "welcoming-space", siteId = "welcoming-space-chester-library", summary = "Lonely since his wife died.", needs = new[] { "isolation-and-wellbeing" }, consentToShare = true }));
            Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
        }

        var checkBack = agent.Locator("#queue-items button[data-action=check-back]");
        await Expect(checkBack).ToHaveCountAsync(1);
        await Browser.AssertNoSeriousAccessibilityViolationAsync(agent);
        await agent.SetViewportSizeAsync(375, 740);
        Assert.True(await agent.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 375"), "The queue scrolls sideways at 375 px.");
        await checkBack.FocusAsync();
        await agent.Keyboard.PressAsync("Enter");
        await Expect(agent.Locator("#check-back-helped")).ToBeFocusedAsync();

        // Nothing chosen or said: both are errors on their fields, and nothing is sent.
        await agent.Locator("#check-back-form button[type=submit]").FocusAsync();
        await agent.Keyboard.PressAsync("Enter");
        await Expect(agent.Locator("#error-summary a[href='#check-back-helped']")).ToHaveTextAsync("Say whether the resident was helped.");
        await Expect(agent.Locator("#error-summary a[href='#check-back-note']")).ToHaveTextAsync("Record what the resident said.");

        await agent.Locator("#check-back-helped").FocusAsync();
        await agent.Keyboard.PressAsync("Space");
        await agent.Locator("#check-back-note").FocusAsync();
        await agent.Keyboard.TypeAsync("Goes to the Tuesday lunch club now and has made a friend there.");
        await agent.Locator("#check-back-form button[type=submit]").FocusAsync();
        await agent.Keyboard.PressAsync("Enter");
        await Expect(agent.Locator("#queue-items tr")).ToHaveCountAsync(0);
        await Expect(agent.Locator("#check-back-panel")).ToBeHiddenAsync();
        await app.SettledAsync();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static async Task<Guid> RecordAsync(FrontDoorApp app, string need, string summary)
    {
        using var agentApi = await app.ClientAsAsync("agent");
        using var recorded = await agentApi.PostAsync("/api/contacts", Json(new { channel = "phone", summary, needs = new[] { need }, consentToShare = true }));
        Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
        var contactId = JsonDocument.Parse(await recorded.Content.ReadAsStringAsync()).RootElement.GetProperty("contactId").GetGuid();
        await app.CaughtUpAsync();
        using var manager = await app.ClientAsAsync("manager");
        var contact = JsonDocument.Parse(await manager.GetStringAsync($"/api/contacts/{contactId:D}")).RootElement;
        return contact.GetProperty("referrals")[0].GetProperty("referralId").GetGuid();
    }
}
