using System.Text.Json;
using FrontDoor.Testing;
using Microsoft.Playwright;

namespace FrontDoor.Browser.Tests;

/// <summary>The four pages, live end to end in a real Chromium against a real Kestrel, on each store.</summary>
public sealed class DashboardTests(Browser browser) : IClassFixture<Browser>
{
    private static readonly PageWaitForFunctionOptions Soon = new() { Timeout = 10_000 };

    public static TheoryData<string> Backends => FrontDoorApp.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_contact_recorded_by_an_agent_appears_live_in_the_team_queue_and_on_the_wall(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend, kestrel: true);
        await using var housingContext = await browser.NewContextAsync(app.Address!);
        await using var managerContext = await browser.NewContextAsync(app.Address!);
        await using var agentContext = await browser.NewContextAsync(app.Address!);

        var housing = await Browser.SignInAsync(housingContext, "worker", "housing");
        await Expect(housing.Locator("#connection-status")).ToHaveTextAsync("Live");
        var wall = await Browser.SignInAsync(managerContext, "manager");
        await Expect(wall.Locator("#connection-status")).ToHaveTextAsync("Live");
        var depthBefore = int.Parse(await wall.Locator("tr[data-service=housing] td[data-depth]").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        var agent = await Browser.SignInAsync(agentContext, "agent");
        await agent.FillAsync("#summary", "Got an eviction notice today and we are behind with the rent arrears.");
        await Expect(agent.Locator("[data-suggested=homelessness]")).ToBeVisibleAsync();
        await agent.ClickAsync("[data-suggested=homelessness]");
        await agent.CheckAsync("#need-money-and-debt");
        await agent.CheckAsync("#consent");
        await agent.ClickAsync("#save");
        await Expect(agent.Locator("#outcome-referrals li[data-service=housing]")).ToBeVisibleAsync();
        await Expect(agent.Locator("#outcome-referrals li[data-service=poverty-support]")).ToBeVisibleAsync();

        // No reload anywhere: the queue and the wall are told by the hub.
        await Expect(housing.Locator("#queue-items tr")).ToHaveCountAsync(1);
        await Expect(housing.Locator("#queue-items tr td[data-status]")).ToHaveTextAsync("Raised");
        await Expect(wall.Locator("tr[data-service=housing] td[data-depth]")).ToHaveTextAsync((depthBefore + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        await Browser.ScreenshotAsync(agent, $"agent-console-{backend}");
        await Browser.ScreenshotAsync(housing, $"team-queue-{backend}");
        await Browser.ScreenshotAsync(wall, $"manager-wall-{backend}");
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_worker_claims_then_returns_to_poverty_support_and_everyone_sees_it(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend, kestrel: true);
        using var agentApi = await app.ClientAsAsync("agent");
        await agentApi.PostAsync("/api/contacts", Json(new { channel = "phone", summary = "Behind on the rent.", needs = new[] { "housing-advice" }, consentToShare = true }));
        await app.CaughtUpAsync();

        await using var housingContext = await browser.NewContextAsync(app.Address!);
        await using var povertyContext = await browser.NewContextAsync(app.Address!);
        await using var managerContext = await browser.NewContextAsync(app.Address!);
        var housing = await Browser.SignInAsync(housingContext, "worker", "housing");
        var poverty = await Browser.SignInAsync(povertyContext, "worker", "poverty-support");
        var wall = await Browser.SignInAsync(managerContext, "manager");
        await Expect(wall.Locator("#returns")).ToHaveTextAsync("0");

        await housing.ClickAsync("button[data-action=claim]");
        await Expect(housing.Locator("#queue-items td[data-status]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Claimed"));
        await housing.ClickAsync("button[data-action=return]");
        await housing.FillAsync("#return-reason", "It is about debt, not the tenancy.");
        await housing.SelectOptionAsync("#return-service", "poverty-support");
        await housing.ClickAsync("#return-form button[type=submit]");

        await Expect(housing.Locator("#queue-items tr")).ToHaveCountAsync(0);
        await Expect(poverty.Locator("#queue-items tr")).ToHaveCountAsync(1);
        await Expect(wall.Locator("#returns")).ToHaveTextAsync("1");
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_second_worker_claiming_a_claimed_referral_is_told_plainly()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        using var agentApi = await app.ClientAsAsync("agent");
        await agentApi.PostAsync("/api/contacts", Json(new { channel = "phone", summary = "Nowhere to sleep tonight.", needs = new[] { "homelessness" }, consentToShare = true }));
        await app.CaughtUpAsync();

        await using var firstContext = await browser.NewContextAsync(app.Address!);
        await using var secondContext = await browser.NewContextAsync(app.Address!);
        var first = await Browser.SignInAsync(firstContext, "worker", "housing");
        var second = await Browser.SignInAsync(secondContext, "worker", "housing");
        await Expect(first.Locator("button[data-action=claim]")).ToBeVisibleAsync();
        await Expect(second.Locator("button[data-action=claim]")).ToBeVisibleAsync();

        // Hold the second page's view still, as if its worker had not looked up yet, then both claim.
        await second.EvaluateAsync("() => window.frontDoorHub.stop()");
        await first.ClickAsync("button[data-action=claim]");
        await Expect(first.Locator("#queue-items td[data-status]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Claimed"));
        await second.ClickAsync("button[data-action=claim]");

        await Expect(second.Locator("#error-summary")).ToBeVisibleAsync();
        await Expect(second.Locator("#error-summary")).ToContainTextAsync("Someone else changed this referral first");
        await Expect(second.Locator("#queue-items td[data-status]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Claimed by Wren Worker \(housing\)"));
        await Browser.ScreenshotAsync(second, "team-queue-claim-conflict");
    }

    [Fact]
    public async Task A_page_that_loses_its_hub_connection_catches_up_when_it_comes_back()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var housingContext = await browser.NewContextAsync(app.Address!);
        var housing = await Browser.SignInAsync(housingContext, "worker", "housing");
        await Expect(housing.Locator("#connection-status")).ToHaveTextAsync("Live");

        await housing.EvaluateAsync("() => window.frontDoorHub.stop()");
        using var agentApi = await app.ClientAsAsync("agent");
        for (var i = 0; i < 3; i++)
        {
            await agentApi.PostAsync("/api/contacts", Json(new { channel = "web", summary = "Sofa surfing.", needs = new[] { "homelessness" }, consentToShare = true }));
        }

        await app.CaughtUpAsync();

        // The page reconnects by itself and re-joins with a fresh snapshot: nothing appended meanwhile is missing.
        await Expect(housing.Locator("#queue-items tr")).ToHaveCountAsync(3, new() { Timeout = 15_000 });
        var position = long.Parse((await housing.EvaluateAsync<string>("() => document.body.dataset.position"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(position > 0);
    }

    [Fact]
    public async Task Bug_18_the_agent_console_says_consent_was_recorded_for_the_teams_the_contact_went_to_only()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.NewContextAsync(app.Address!);
        var agent = await Browser.SignInAsync(context, "agent");
        await Expect(agent.Locator("#consent-hint")).ToHaveTextAsync("Recorded for the teams this contact is referred to, and no others.");

        await agent.FillAsync("#resident-name", "Devika Rao");
        await agent.FillAsync("#resident-postcode", "CH4 8QP");
        await agent.FillAsync("#summary", "Sleeping in the car since Friday.");
        await agent.CheckAsync("#need-homelessness");
        await agent.CheckAsync("#consent");
        await agent.ClickAsync("#save");

        await Expect(agent.Locator("#outcome-consent")).ToHaveTextAsync("Consent to share their details recorded for: Housing only.");
        await app.SettledAsync();
    }

    [Fact]
    public async Task The_agent_console_works_from_the_keyboard_alone()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.NewContextAsync(app.Address!);
        var agent = await Browser.SignInAsync(context, "agent");
        await Expect(agent.Locator("#site-group")).ToBeHiddenAsync();

        // Only Tab, arrow keys, Space, Enter and typing: every control is reachable and works in order.
        await TabToAsync(agent, "channel-phone");
        await agent.Keyboard.PressAsync("ArrowRight");
        await agent.Keyboard.PressAsync("ArrowRight");
        Assert.True(await agent.IsCheckedAsync("#channel-lets-talk"));
        await Expect(agent.Locator("#site-group")).ToBeVisibleAsync();
        await TabToAsync(agent, "site");
        await TabToAsync(agent, "summary");
        await agent.Keyboard.TypeAsync("Mum is struggling to cope and I am her carer.");
        await TabToAsync(agent, "need-carer-support");
        await agent.Keyboard.PressAsync("Space");
        await TabToAsync(agent, "consent");
        await agent.Keyboard.PressAsync("Space");
        await TabToAsync(agent, "save");
        await agent.Keyboard.PressAsync("Enter");

        await Expect(agent.Locator("#outcome-referrals li[data-service=adult-social-care]")).ToBeVisibleAsync();
        await app.SettledAsync();
    }

    [Fact]
    public async Task Typing_a_summary_shows_suggestions_and_a_possible_safeguarding_concern_without_a_reload()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.NewContextAsync(app.Address!, bypassCsp: true);
        var agent = await Browser.SignInAsync(context, "agent");
        var loaded = await agent.EvaluateAsync<double>("() => performance.timeOrigin");

        await agent.FocusAsync("#summary");
        await agent.Keyboard.TypeAsync("My 16-year-old was thrown out after a row and is staying wherever he can.");

        var concern = agent.Locator("#suggestions [data-safeguarding=child-safeguarding]");
        await Expect(concern).ToBeVisibleAsync();
        await Expect(concern).ToContainTextAsync("Possible child safeguarding concern");
        await Expect(concern).ToContainTextAsync("thrown out");
        await Expect(agent.Locator("#suggestions [data-suggested=homelessness]")).ToBeVisibleAsync();
        // The flag is said first, and adding the need is still the agent's own act.
        Assert.Equal("child-safeguarding", await agent.Locator("#suggestions [data-suggested]").First.GetAttributeAsync("data-suggested"));
        Assert.False(await agent.IsCheckedAsync("#need-child-safeguarding"));
        await agent.ClickAsync("#suggestions [data-suggested=child-safeguarding]");
        Assert.True(await agent.IsCheckedAsync("#need-child-safeguarding"));
        Assert.Equal(loaded, await agent.EvaluateAsync<double>("() => performance.timeOrigin"));

        await Browser.AssertNoSeriousAccessibilityViolationAsync(agent, "#suggestions");
    }

    private static async Task TabToAsync(IPage page, string id)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            if (await page.EvaluateAsync<string>("() => document.activeElement && document.activeElement.id") == id)
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"#{id} cannot be reached with the Tab key.");
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
