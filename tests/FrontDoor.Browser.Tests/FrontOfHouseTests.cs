using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Testing;
using Microsoft.Playwright;

namespace FrontDoor.Browser.Tests;

/// <summary>The agent console at the front of house: what is typed is never lost, and a returning resident is recognised.</summary>
public sealed class FrontOfHouseTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Bug_18_an_incomplete_date_of_birth_in_the_console_is_an_error_on_that_field_and_nothing_is_saved()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.NewContextAsync(app.Address!);
        var agent = await Browser.SignInAsync(context, "agent");

        await agent.FillAsync("#resident-name", "Alys Price");
        await agent.FillAsync("#resident-dob-day", "9");
        await agent.FillAsync("#resident-dob-month", "2");
        await agent.FillAsync("#summary", "Behind with the council tax since the hours were cut.");
        await agent.CheckAsync("#need-money-and-debt");
        await agent.ClickAsync("#save");

        // The GOV.UK pattern: a linked summary at the top, the message at the field, "Error:" first in the title.
        var link = agent.Locator("#error-summary a[href='#resident-dob-year']");
        await Assertions.Expect(link).ToHaveTextAsync("Date of birth must include a year");
        await Assertions.Expect(agent.Locator("#resident-dob-year-error")).ToContainTextAsync("Date of birth must include a year");
        Assert.StartsWith("Error: ", await agent.TitleAsync(), StringComparison.Ordinal);
        await link.ClickAsync();
        Assert.Equal("resident-dob-year", await agent.EvaluateAsync<string>("document.activeElement.id"));
        Assert.Equal(0, await app.Store.ReadHeadPositionAsync());

        await agent.Keyboard.TypeAsync("1984");
        await agent.ClickAsync("#save");
        await Assertions.Expect(agent.Locator("#outcome-referrals li[data-service=poverty-support]")).ToBeVisibleAsync();
        Assert.DoesNotMatch("^Error", await agent.TitleAsync());
        await Assertions.Expect(agent.Locator("#resident-dob-year-error")).ToHaveCountAsync(0);

        using var manager = await app.ClientAsAsync("manager");
        var search = await manager.PostAsJsonAsync("/api/residents/search", new { name = "Alys Price" });
        var found = JsonDocument.Parse(await search.Content.ReadAsStringAsync()).RootElement.GetProperty("residents");
        Assert.Equal("1984-02-09", found[0].GetProperty("dateOfBirth").GetString());
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_18_the_agent_says_a_returning_caller_is_someone_we_know_and_the_contact_joins_their_record()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        using var api = await app.ClientAsAsync("agent");
        using var first = await api.PostAsJsonAsync("/api/contacts", new
        {
            channel = "phone",
            resident = new { name = "Huw Morgan", dateOfBirth = "1949-05-14", postcode = "CH65 2AB" },
            summary = "Struggling with the stairs since the fall.",
            needs = new[] { "care-and-support" },
            consentToShare = true,
        });
        var firstId = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("contactId").GetString();
        await app.CaughtUpAsync();
        var residentId = JsonDocument.Parse(await api.GetStringAsync($"/api/contacts/{firstId}")).RootElement.GetProperty("residentId").GetString();

        await using var teamContext = await browser.NewContextAsync(app.Address!);
        var team = await Browser.SignInAsync(teamContext, "worker", "adult-social-care");
        await Assertions.Expect(team.Locator("#connection-status")).ToHaveTextAsync("Live");
        await using var context = await browser.NewContextAsync(app.Address!);
        var agent = await Browser.SignInAsync(context, "agent");

        // This time the caller gives their name and date of birth but not their postcode.
        await agent.FillAsync("#resident-name", "Huw Morgan");
        await agent.FillAsync("#resident-dob-day", "14");
        await agent.FillAsync("#resident-dob-month", "5");
        await agent.FillAsync("#resident-dob-year", "1949");
        var match = agent.Locator($"#matches li[data-resident='{residentId}']");
        await Assertions.Expect(match).ToContainTextAsync("Open referrals: Adult social care");
        await match.Locator("button[data-choose]").ClickAsync();
        await Assertions.Expect(agent.Locator("#chosen-text")).ToContainTextAsync("This contact will be added to their record");

        await agent.FillAsync("#summary", "Calling back: the carer has not turned up this week.");
        await agent.CheckAsync("#need-care-and-support");
        await agent.ClickAsync("#save");
        await Assertions.Expect(agent.Locator("#outcome-text")).ToContainTextAsync("Routed.");

        // The care need joined the referral adult social care already has open for them: the agent is told so, and
        // so is the team, live.
        await Assertions.Expect(agent.Locator("#outcome-referrals li[data-service=adult-social-care]")).ToContainTextAsync("Added to the resident's open Adult social care referral");
        await Assertions.Expect(team.Locator("#queue-notice")).ToContainTextAsync("A resident has contacted us again");

        var reference = (await agent.Locator("#outcome-text").InnerTextAsync())["Reference ".Length..][..8];
        using var manager = await app.ClientAsAsync("manager");
        var search = await manager.PostAsJsonAsync("/api/residents/search", new { reference });
        var found = JsonDocument.Parse(await search.Content.ReadAsStringAsync()).RootElement.GetProperty("residents");
        Assert.Equal(1, found.GetArrayLength());
        Assert.Equal((residentId, 2), (found[0].GetProperty("residentId").GetString(), found[0].GetProperty("contactCount").GetInt32()));
        await Assertions.Expect(agent.Locator("#chosen")).ToBeHiddenAsync();
        await app.SettledAsync();
    }

    [Fact]
    public async Task The_agent_finds_a_resident_by_the_reference_the_form_gave_them()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        using var anonymous = app.CreateClient();
        using var sent = await anonymous.PostAsJsonAsync("/api/public/contacts", new { summary = "Can someone call me about the rent?", resident = new { name = "Nia Lloyd", phone = "07700 900456" }, consentToShare = true });
        var reference = JsonDocument.Parse(await sent.Content.ReadAsStringAsync()).RootElement.GetProperty("reference").GetString()!;
        await app.CaughtUpAsync();

        await using var context = await browser.NewContextAsync(app.Address!);
        var agent = await Browser.SignInAsync(context, "agent");
        await agent.FillAsync("#reference", reference.ToLowerInvariant());
        await Assertions.Expect(agent.Locator("#matches")).ToContainTextAsync("Nia Lloyd");
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_18_the_console_says_who_a_resident_is_signposted_to_how_to_reach_them_and_when()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.NewContextAsync(app.Address!);
        var agent = await Browser.SignInAsync(context, "agent");
        await agent.FillAsync("#summary", "Has not spoken to anyone since his wife died in the spring.");
        await agent.CheckAsync("#need-isolation-and-wellbeing");
        await agent.ClickAsync("#save");

        var sheds = agent.Locator("#outcome-referrals li[data-signpost=men-in-sheds-cheshire-west]");
        await Assertions.Expect(sheds).ToContainTextAsync("Signposted to Men in Sheds (UK Men's Sheds Association)");
        await Assertions.Expect(sheds).ToContainTextAsync("Phone: 01632 960004");
        await Assertions.Expect(sheds).ToContainTextAsync("Open: Tuesday to Saturday, 10am to 3pm");
        await Assertions.Expect(sheds.Locator("a")).ToHaveAttributeAsync("href", "https://menssheds.org.uk/");
        await app.SettledAsync();
    }
}
