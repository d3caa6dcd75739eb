using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Testing;
using Microsoft.Playwright;

namespace FrontDoor.Browser.Tests;

/// <summary>The residents' records page: consent kept current by an agent, subject access and erasure by a manager.</summary>
public sealed class ResidentRecordsTests(Browser browser) : IClassFixture<Browser>
{
    private const string Phrase = "the damp in the back bedroom at Lache";

    [Fact]
    public async Task An_agent_withdraws_consent_and_the_housing_team_stops_seeing_the_residents_details()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        var contactId = await RecordAsync(app);
        using var housing = await app.ClientAsAsync("worker", "housing");
        Assert.Equal("Philippa Quarmby", (await housing.GetFromJsonAsync<ContactResponse>($"/api/contacts/{contactId:D}"))!.Resident?.Name);

        await using var context = await browser.NewContextAsync(app.Address!);
        var page = await Browser.SignInAsync(context, "agent", next: "/residents/");
        await OpenRecordAsync(page);
        await Assertions.Expect(page.Locator("#consent-status")).ToContainTextAsync("Housing");
        await Assertions.Expect(page.Locator("#manager-tools")).ToBeHiddenAsync();

        await page.Locator("#consent-housing").UncheckAsync();
        await page.Locator("#method-written").CheckAsync();
        await page.Locator("#consent-form button[type=submit]").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#consent-status")).Not.ToContainTextAsync("Housing");

        Assert.Null((await housing.GetFromJsonAsync<ContactResponse>($"/api/contacts/{contactId:D}"))!.Resident);
    }

    [Fact]
    public async Task A_manager_prepares_a_subject_access_response_and_erases_the_resident()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        var contactId = await RecordAsync(app);

        await using var context = await browser.NewContextAsync(app.Address!);
        var page = await Browser.SignInAsync(context, "manager", next: "/residents/");
        await OpenRecordAsync(page);

        await page.Locator("#subject-access").PressAsync("Enter");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#subject-access-download").PressAsync("Enter"));
        var response = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("Philippa Quarmby", response, StringComparison.Ordinal);
        Assert.Contains(Phrase, response, StringComparison.Ordinal);
        Assert.Contains("Who has looked at your record", response, StringComparison.Ordinal);

        await page.Locator("#erasure-basis-request").CheckAsync();
        await page.FillAsync("#erasure-reference", "SAR-2026-0042");
        await page.Locator("#erasure-form button[type=submit]").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#error-summary")).ToContainTextAsync("Confirm that the law allows this erasure");

        // The reference outlives the erasure, so a sentence about the resident is refused, and nothing is erased.
        await page.Locator("#erasure-confirm").CheckAsync();
        await page.FillAsync("#erasure-reference", "Philippa rang to ask");
        await page.Locator("#erasure-form button[type=submit]").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#error-summary")).ToContainTextAsync("A reference is a code such as SAR-2026-0042");
        await Assertions.Expect(page.Locator("#record-heading")).ToHaveTextAsync("Philippa Quarmby");

        await page.FillAsync("#erasure-reference", "SAR-2026-0042");
        await page.Locator("#erasure-form button[type=submit]").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#record-heading")).ToHaveTextAsync("Erased resident");
        await Assertions.Expect(page.Locator("#record-summary")).ToContainTextAsync("(request, reference SAR-2026-0042)");
        await Browser.ScreenshotAsync(page, "resident-erased");

        using var manager = await app.ClientAsAsync("manager");
        var contact = (await manager.GetFromJsonAsync<ContactResponse>($"/api/contacts/{contactId:D}"))!;
        Assert.True(contact.Resident!.Erased);
        Assert.True(contact.SummaryErased);

        await page.Locator("#search-form button[type=submit]").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#results")).ToContainTextAsync("No resident we know fits.");
    }

    [Fact]
    public async Task Bug_18_a_manager_merges_a_duplicate_record_into_the_one_open_and_the_search_then_finds_one()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await RecordAsync(app);
        using (var agent = await app.ClientAsAsync("agent"))
        using (var duplicate = await agent.PostAsJsonAsync("/api/contacts", new RecordContactRequest(
            "phone", null, new ResidentDetails("Philippa Quarmby", "1961-04-17", "CH4 7AA", null, "pq@example.org"), "Rang about the council tax.", ["money-and-debt"], true)))
        {
            duplicate.EnsureSuccessStatusCode();
        }

        await app.CaughtUpAsync();
        await using var context = await browser.NewContextAsync(app.Address!);
        var page = await Browser.SignInAsync(context, "manager", next: "/residents/");
        await page.FillAsync("#search-name", "Philippa Quarmby");
        await page.Locator("#search-name").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#results li")).ToHaveCountAsync(2);
        await page.Locator("#results li", new() { HasText = "CH4 8LN" }).GetByRole(AriaRole.Button, new() { Name = "Open record" }).PressAsync("Enter");
        await Assertions.Expect(page.Locator("#record-heading")).ToHaveTextAsync("Philippa Quarmby");

        // With the record open, the search offers to merge the other record into it.
        await page.Locator("#search-form button[type=submit]").PressAsync("Enter");
        var merge = page.Locator("#results li", new() { HasText = "CH4 7AA" }).GetByRole(AriaRole.Button, new() { Name = "Merge into this record" });
        await merge.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#merge-reason")).ToBeFocusedAsync();
        await page.Locator("#merge").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#error-summary a[href='#merge-reason']")).ToContainTextAsync("Say why the two records are the same person");

        await page.FillAsync("#merge-reason", "Same date of birth; she confirmed she moved from CH4 7AA.");
        await page.Locator("#merge").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#merge-status")).ToContainTextAsync("was merged into this one");

        await page.Locator("#search-form button[type=submit]").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#results li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#results li")).ToContainTextAsync("2 contact(s)");
    }

    private static async Task<Guid> RecordAsync(FrontDoorApp app)
    {
        using var agent = await app.ClientAsAsync("agent");
        using var created = await agent.PostAsJsonAsync("/api/contacts", new RecordContactRequest(
            "phone", null, new ResidentDetails("Philippa Quarmby", "1961-04-17", "CH4 8LN", "07700 900123", null), $"Worried about {Phrase}.", ["housing-advice"], true));
        created.EnsureSuccessStatusCode();
        await app.CaughtUpAsync();
        return (await created.Content.ReadFromJsonAsync<ContactCreatedResponse>())!.ContactId;
    }

    /// <summary>Searches and opens the record from the keyboard, as an agent on a call would.</summary>
    private static async Task OpenRecordAsync(IPage page)
    {
        await page.FillAsync("#search-name", "Philippa Quarmby");
        await page.Locator("#search-name").PressAsync("Enter");
        var open = page.Locator("#results li").GetByRole(AriaRole.Button, new() { Name = "Open record" });
        await Assertions.Expect(open).ToHaveCountAsync(1);
        await open.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#record-heading")).ToHaveTextAsync("Philippa Quarmby");
        await Assertions.Expect(page.Locator("#record-heading")).ToBeFocusedAsync();
    }
}
