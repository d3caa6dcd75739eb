using System.Text.Json;
using FrontDoor.Testing;
using Microsoft.Playwright;

namespace FrontDoor.Browser.Tests;

public sealed class PagesTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task The_resident_contact_form_works_without_javascript_and_lands_in_triage()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Address!.ToString(), JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/contact-us");
        await Browser.ScreenshotAsync(page, "contact-us");

        await page.FillAsync("#summary", "I am not sure who to ask, things are hard at the moment.");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator(".govuk-error-summary")).ToContainTextAsync("phone number or an email");

        await page.FillAsync("#name", "Robin Hill");
        await page.FillAsync("#email", "robin@example.org");
        await page.CheckAsync("#consent");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("#reference")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9A-F]{8}$"));

        // Bug 18: refreshing the confirmation sends nothing again (post/redirect/get).
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#reference")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9A-F]{8}$"));

        await app.CaughtUpAsync();
        using var manager = await app.ClientAsAsync("manager");
        var queue = JsonDocument.Parse(await manager.GetStringAsync("/api/queues/front-door-triage")).RootElement.GetProperty("items");
        Assert.Equal(1, queue.GetArrayLength());
        await app.SettledAsync();
    }

    [Fact]
    public async Task Stored_hostile_strings_render_as_text_in_every_page()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        const string hostile = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";
        using var agentApi = await app.ClientAsAsync("agent");
        await agentApi.PostAsync("/api/contacts", new StringContent(JsonSerializer.Serialize(new
        {
            channel = "phone",
            summary = hostile,
            needs = new[] { "homelessness" },
            consentToShare = true,
            resident = new { name = "Ann " + hostile, dateOfBirth = "1970-01-01", postcode = "CH1 1AA" },
        }), System.Text.Encoding.UTF8, "application/json"));
        await app.CaughtUpAsync();

        await using var agentContext = await browser.NewContextAsync(app.Address!);
        var agent = await Browser.SignInAsync(agentContext, "agent");
        await agent.FillAsync("#resident-name", "Ann");
        await Assertions.Expect(agent.Locator("#matches")).ToContainTextAsync("<img src=x");

        await using var housingContext = await browser.NewContextAsync(app.Address!);
        var housing = await Browser.SignInAsync(housingContext, "worker", "housing");
        await Assertions.Expect(housing.Locator("#queue-items tr")).ToHaveCountAsync(1);

        await using var formContext = await browser.NewContextAsync(app.Address!);
        var form = await formContext.NewPageAsync();
        await form.GotoAsync("/contact-us");
        await form.FillAsync("#summary", hostile);
        await form.FillAsync("#name", hostile);
        await form.ClickAsync("button[type=submit]");
        await Assertions.Expect(form.Locator("#summary")).ToHaveValueAsync(hostile);

        foreach (var page in new[] { agent, housing, form })
        {
            Assert.Equal(0, await page.Locator("img[src=x]").CountAsync());
            Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
        }
    }

    [Theory]
    [InlineData("agent", null, "/agent/")]
    [InlineData("worker", "housing", "/queues/housing")]
    [InlineData("manager", null, "/wall/")]
    [InlineData("manager", null, "/residents/")]
    [InlineData(null, null, "/contact-us")]
    [InlineData(null, null, "/contact-us/privacy")]
    [InlineData(null, null, "/contact-us/check")]
    [InlineData(null, null, "/contact-us/accessibility")]
    [InlineData(null, null, "/sign-in/")]
    public async Task Each_page_has_no_serious_or_critical_accessibility_violation(string? role, string? service, string path)
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        using var agentApi = await app.ClientAsAsync("agent");
        await agentApi.PostAsync("/api/contacts", new StringContent(JsonSerializer.Serialize(new { channel = "phone", summary = "Rent arrears.", needs = new[] { "homelessness", "money-and-debt" }, consentToShare = true }), System.Text.Encoding.UTF8, "application/json"));
        await app.CaughtUpAsync();

        // axe is injected as a script, which the pages' own CSP rightly forbids: this context alone bypasses it.
        await using var context = await browser.NewContextAsync(app.Address!, bypassCsp: true);
        var page = role is null ? await context.NewPageAsync() : await Browser.SignInAsync(context, role, service, path);
        if (role is null)
        {
            await page.GotoAsync(path);
        }

        await Browser.AssertNoSeriousAccessibilityViolationAsync(page);
    }
}
