using System.Text.Json;
using FrontDoor.Testing;
using Microsoft.Playwright;

namespace FrontDoor.Browser.Tests;

/// <summary>The worker's case page: reached from the queue, worked by keyboard, live for everyone looking at it.</summary>
public sealed class CaseWorkTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Bug_17_a_worker_opens_the_case_from_the_queue_reads_who_and_what_adds_a_note_and_completes_it_by_keyboard_while_a_manager_watches()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        var referralId = await RecordAsync(app, "The damp in the back bedroom is making the baby cough; the landlord will not answer.", "Nia Parry");

        // The manager has the same case open, to see the worker's changes arrive.
        await using var managerContext = await browser.NewContextAsync(app.Address!);
        var manager = await Browser.SignInAsync(managerContext, "manager", next: $"/cases/{referralId:D}");
        await Expect(manager.Locator("#connection-status")).ToHaveTextAsync("Live");

        await using var housingContext = await browser.NewContextAsync(app.Address!);
        var housing = await Browser.SignInAsync(housingContext, "worker", "housing");
        await Expect(housing.Locator("#connection-status")).ToHaveTextAsync("Live");

        // From the queue to the case with the keyboard: the row's needs are a link to it.
        await housing.Locator($"a[data-case='{referralId:D}']").FocusAsync();
        await Browser.FollowAsync(housing, () => housing.Keyboard.PressAsync("Enter"), $"**/cases/{referralId:D}");
        await Browser.ReadyAsync(housing);
        await Expect(housing.Locator("#case-summary")).ToHaveTextAsync("The damp in the back bedroom is making the baby cough; the landlord will not answer.");
        await Expect(housing.Locator("#case-resident-details")).ToContainTextAsync("Nia Parry");
        await Expect(housing.Locator("#case-details [data-status]")).ToHaveTextAsync("Raised");
        await Expect(housing.Locator("#case-history-items tr")).Not.ToHaveCountAsync(0);

        // A note, typed and sent without the mouse; an empty one is an error on its field first.
        await housing.Locator("#note-save").FocusAsync();
        await housing.Keyboard.PressAsync("Enter");
        await Expect(housing.Locator("#error-summary a[href='#note-text']")).ToHaveTextAsync("Write the note.");
        await housing.Locator("#note-text").FocusAsync();
        await housing.Keyboard.TypeAsync("Rang the landlord; visit booked for Friday.");
        await housing.Keyboard.PressAsync("Tab");
        await housing.Keyboard.PressAsync("Enter");
        await Expect(housing.Locator("#case-notes li").First).ToContainTextAsync("Rang the landlord; visit booked for Friday.");
        await Expect(housing.Locator("#error-summary")).ToBeHiddenAsync();

        // The manager's page has it, and says someone else changed the case.
        await Expect(manager.Locator("#case-notes li").First).ToContainTextAsync("visit booked for Friday");
        await Expect(manager.Locator("#case-notice")).ToContainTextAsync("Wren Worker (housing) just changed this case");

        foreach (var action in new[] { "claim", "accept", "complete" })
        {
            await housing.Locator($"#case-actions [data-action={action}]").FocusAsync();
            await housing.Keyboard.PressAsync("Enter");
            if (action != "complete")
            {
                await Expect(housing.Locator("#case-details [data-status]")).ToContainTextAsync(action == "claim" ? "Claimed" : "Accepted");
            }
        }

        await Expect(housing.Locator("#complete-outcome")).ToBeFocusedAsync();
        await housing.Keyboard.TypeAsync("Repair order raised; family moved to the front room meanwhile.");
        await housing.Locator("#complete-form button[type=submit]").FocusAsync();
        await housing.Keyboard.PressAsync("Enter");
        await Expect(housing.Locator("#case-details [data-status]")).ToContainTextAsync("Completed");
        await Expect(manager.Locator("#case-details [data-status]")).ToContainTextAsync("Completed");
        await Browser.ScreenshotAsync(housing, "case-page");
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_17_a_worker_of_another_service_is_not_shown_the_case_and_a_case_without_consent_says_so()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        var referralId = await RecordAsync(app, "Behind on the rent since the hours were cut.", "Idris Vaughan", consent: false);

        await using var earlyHelpContext = await browser.NewContextAsync(app.Address!);
        var earlyHelp = await Browser.SignInAsync(earlyHelpContext, "worker", "early-help", next: $"/cases/{referralId:D}");
        await Expect(earlyHelp.Locator("#error-summary")).ToContainTextAsync("There is no referral");
        await Expect(earlyHelp.Locator("#case-summary")).ToHaveTextAsync(string.Empty);

        await using var housingContext = await browser.NewContextAsync(app.Address!);
        var housing = await Browser.SignInAsync(housingContext, "worker", "housing", next: $"/cases/{referralId:D}");
        await Expect(housing.Locator("#case-summary")).ToHaveTextAsync("Behind on the rent since the hours were cut.");
        await Expect(housing.Locator("#case-no-consent")).ToHaveTextAsync("No consent to share details with this service.");
        await Expect(housing.Locator("#case-resident")).Not.ToContainTextAsync("Idris");
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_17_returned_work_says_on_its_case_page_which_team_handed_it_back_and_why()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        var returned = await RecordAsync(app, "Needs help with the council tax bill, not the tenancy.", "Gwen Rowlands");
        using (var housingApi = await app.ClientAsAsync("worker", "housing"))
        {
            Assert.True((await housingApi.PostAsync($"/api/referrals/{returned:D}/claim", null)).IsSuccessStatusCode);
            using var handedBack = await housingApi.PostAsync($"/api/referrals/{returned:D}/return", new StringContent("{\"reason\":\"Council tax arrears: poverty support's.\",\"suggestedService\":\"poverty-support\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(handedBack.IsSuccessStatusCode, await handedBack.Content.ReadAsStringAsync());
        }

        await app.CaughtUpAsync();
        using var manager = await app.ClientAsAsync("manager");
        var contactId = JsonDocument.Parse(await manager.GetStringAsync($"/api/referrals/{returned:D}")).RootElement.GetProperty("contactId").GetGuid();
        var replacement = JsonDocument.Parse(await manager.GetStringAsync($"/api/contacts/{contactId:D}")).RootElement.GetProperty("referrals")
            .EnumerateArray().Single(r => r.GetProperty("status").GetString() == "raised").GetProperty("referralId").GetGuid();

        await using var povertyContext = await browser.NewContextAsync(app.Address!);
        var poverty = await Browser.SignInAsync(povertyContext, "worker", "poverty-support", next: $"/cases/{replacement:D}");
        await Expect(poverty.Locator("[data-returned-from=housing]")).ToContainTextAsync("Council tax arrears: poverty support's.");
        await Expect(poverty.Locator("[data-returned-from=housing]")).ToContainTextAsync("Handed back by Housing");
        await app.SettledAsync();
    }

    [Fact]
    public async Task The_case_page_has_no_serious_or_critical_accessibility_violation()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        var referralId = await RecordAsync(app, "Rent arrears and an eviction notice.", "Ceri Lloyd");
        using (var housingApi = await app.ClientAsAsync("worker", "housing"))
        {
            using var note = await housingApi.PostAsync($"/api/referrals/{referralId:D}/notes", new StringContent("{\"text\":\"Called back, no answer.\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(note.IsSuccessStatusCode);
        }

        await using var context = await browser.NewContextAsync(app.Address!, bypassCsp: true);
        var page = await Browser.SignInAsync(context, "worker", "housing", next: $"/cases/{referralId:D}");
        await Expect(page.Locator("#case-notes li")).ToHaveCountAsync(1);
        await Browser.AssertNoSeriousAccessibilityViolationAsync(page);
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_17_from_the_queue_a_worker_reads_the_case_notes_it_and_gives_it_to_a_colleague_who_sees_it_arrive_in_my_work_and_completes_it_all_by_keyboard()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        var referralId = await RecordAsync(app, "Landlord has changed the locks while she was at work.", "Bethan Morgan");

        // The colleague has My work open: the case must arrive there without a reload.
        await using var colleagueContext = await browser.NewContextAsync(app.Address!);
        var colleague = await Browser.SignInAsync(colleagueContext, "worker", "housing", next: "/my-work/", desk: 2);
        await Expect(colleague.Locator("#connection-status")).ToHaveTextAsync("Live");
        await Expect(colleague.Locator("#my-work-empty")).ToBeVisibleAsync();

        // From the queue (where a worker lands) to the case, by keyboard.
        await using var housingContext = await browser.NewContextAsync(app.Address!);
        var housing = await Browser.SignInAsync(housingContext, "worker", "housing");
        await Expect(housing.Locator("#connection-status")).ToHaveTextAsync("Live");

        // The resident's other work is a slow read here, as on a busy day: the case's buttons must still change
        // with its holder, never after it (the keyboard would be on a button about to be replaced, as it once was).
        await housing.RouteAsync("**/resident-work", async route =>
        {
            await Task.Delay(500);
            await route.ContinueAsync();
        });
        await housing.Locator($"a[data-case='{referralId:D}']").FocusAsync();
        await Browser.FollowAsync(housing, () => housing.Keyboard.PressAsync("Enter"), $"**/cases/{referralId:D}");
        await Browser.ReadyAsync(housing);
        await Expect(housing.Locator("#case-summary")).ToHaveTextAsync("Landlord has changed the locks while she was at work.");
        await Expect(housing.Locator("#case-details [data-holder]")).ToHaveTextAsync("Nobody yet");
        await housing.Locator("#note-text").FocusAsync();
        await housing.Keyboard.TypeAsync("Rang the landlord: unlawful eviction explained.");
        await housing.Keyboard.PressAsync("Tab");
        await housing.Keyboard.PressAsync("Enter");
        await Expect(housing.Locator("#case-notes li").First).ToContainTextAsync("Wren Worker (housing),");
        await housing.Locator("#case-actions [data-action=claim]").FocusAsync();
        await housing.Keyboard.PressAsync("Enter");
        await Expect(housing.Locator("#case-details [data-holder]")).ToContainTextAsync("Wren Worker (housing)");

        // Read at once, not waited for: the buttons changed in the same moment as the holder, while the resident's
        // other work was still loading.
        Assert.Equal(["Accept", "Complete", "Return", "Assign"], await housing.Locator("#case-actions button").AllTextContentsAsync());

        // Give it on: choosing nobody is an error on the field; the colleague is listed by name with what they hold.
        await housing.Locator("#case-actions [data-action=assign]").FocusAsync();
        await housing.Keyboard.PressAsync("Enter");
        await Expect(housing.Locator("#assign-to")).ToBeFocusedAsync();
        await Expect(housing.Locator("#assign-to option[value='demo-worker-housing-desk-2']")).ToHaveTextAsync("Wren Worker (housing), desk 2 (holds 0)");
        await housing.Locator("#assign-form button[type=submit]").FocusAsync();
        await housing.Keyboard.PressAsync("Enter");
        await Expect(housing.Locator("#error-summary a[href='#assign-to']")).ToHaveTextAsync("Choose who is to hold the referral.");
        await housing.Locator("#assign-to").FocusAsync();
        await housing.Keyboard.PressAsync("ArrowDown");
        await Expect(housing.Locator("#assign-to")).ToHaveValueAsync("demo-worker-housing-desk-2");
        await housing.Locator("#assign-form button[type=submit]").FocusAsync();
        await housing.Keyboard.PressAsync("Enter");
        await Expect(housing.Locator("#case-details [data-holder]")).ToContainTextAsync("Wren Worker (housing), desk 2");
        await Expect(housing.Locator("#case-no-actions")).ToContainTextAsync("Wren Worker (housing), desk 2 holds this referral");
        await Expect(housing.Locator("#case-history-items")).ToContainTextAsync("Referral given to Wren Worker (housing), desk 2");

        // It arrives in the colleague's My work, live, and they finish it from the case.
        await Expect(colleague.Locator($"#my-work-items a[data-case='{referralId:D}']")).ToBeVisibleAsync();
        await Expect(colleague.Locator("#my-work-notice")).ToContainTextAsync("You have been given a Housing referral");
        await colleague.Locator($"#my-work-items a[data-case='{referralId:D}']").FocusAsync();
        await Browser.FollowAsync(colleague, () => colleague.Keyboard.PressAsync("Enter"), $"**/cases/{referralId:D}");
        await Browser.ReadyAsync(colleague);
        await colleague.Locator("#case-actions [data-action=complete]").FocusAsync();
        await colleague.Keyboard.PressAsync("Enter");
        await Expect(colleague.Locator("#case-notes li").First).ToContainTextAsync("unlawful eviction explained");
        await Expect(colleague.Locator("#complete-outcome")).ToBeFocusedAsync();
        await colleague.Keyboard.TypeAsync("Unlawful eviction: the landlord let her back in after our call.");
        await colleague.Locator("#complete-form button[type=submit]").FocusAsync();
        await colleague.Keyboard.PressAsync("Enter");
        await Expect(colleague.Locator("#case-details [data-status]")).ToHaveTextAsync("Completed");
        await Expect(housing.Locator("#case-details [data-status]")).ToHaveTextAsync("Completed");
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_17_a_manager_sees_who_holds_what_and_gives_unheld_work_to_the_colleague_with_room()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        var referralId = await RecordAsync(app, "Section 21 notice received; two children at home.", "Rhian Jones");
        using (var colleague = await app.ClientAsAsync("worker", "housing", desk: 3))
        {
            Assert.True((await colleague.GetAsync("/api/my/work")).IsSuccessStatusCode);
        }

        await using var context = await browser.NewContextAsync(app.Address!, bypassCsp: true);
        var manager = await Browser.SignInAsync(context, "manager", next: "/queues/housing");
        await manager.Locator("#team-link a").FocusAsync();
        await Expect(manager.Locator("#team-link a")).ToBeFocusedAsync();
        await Browser.FollowAsync(manager, () => manager.Keyboard.PressAsync("Enter"), "**/teams/housing");
        await Browser.ReadyAsync(manager);
        await Expect(manager.Locator($"#unheld-items tr[data-referral='{referralId:D}']")).ToBeVisibleAsync();
        await Expect(manager.Locator("[data-holder='demo-worker-housing-desk-3'] [data-open]")).ToHaveTextAsync("Holds nothing open.");
        await Browser.AssertNoSeriousAccessibilityViolationAsync(manager);

        await manager.Locator($"#give-{referralId:D}").SelectOptionAsync("demo-worker-housing-desk-3");
        await manager.Locator($"button[data-assign='{referralId:D}']").FocusAsync();
        await manager.Keyboard.PressAsync("Enter");
        await Expect(manager.Locator("#unheld-empty")).ToBeVisibleAsync();
        await Expect(manager.Locator("[data-holder='demo-worker-housing-desk-3'] [data-open]")).ToContainTextAsync("Holds 1");
        await Expect(manager.Locator($"[data-holder='demo-worker-housing-desk-3'] a[data-case='{referralId:D}']")).ToBeVisibleAsync();
        await app.SettledAsync();
    }

    [Fact]
    public async Task My_work_has_no_serious_or_critical_accessibility_violation_and_fits_a_phone()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        var referralId = await RecordAsync(app, "Rent arrears and an eviction notice.", "Ceri Lloyd");
        using (var housingApi = await app.ClientAsAsync("worker", "housing"))
        {
            Assert.True((await housingApi.PostAsync($"/api/referrals/{referralId:D}/claim", null)).IsSuccessStatusCode);
        }

        await using var context = await browser.NewContextAsync(app.Address!, bypassCsp: true);
        var page = await Browser.SignInAsync(context, "worker", "housing", next: "/my-work/");
        await Expect(page.Locator("#my-work-items tr")).ToHaveCountAsync(1);
        await Browser.AssertNoSeriousAccessibilityViolationAsync(page);

        await page.SetViewportSizeAsync(375, 740);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 375"), "My work scrolls sideways at 375 px.");
        await app.SettledAsync();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static async Task<Guid> RecordAsync(FrontDoorApp app, string summary, string name, bool consent = true)
    {
        using var agentApi = await app.ClientAsAsync("agent");
        using var recorded = await agentApi.PostAsync("/api/contacts", new StringContent(JsonSerializer.Serialize(new
        {
            channel = "phone",
            summary,
            needs = new[] { "housing-advice" },
            consentToShare = consent,
            resident = new { name, dateOfBirth = "1984-05-02", postcode = "CH2 3AB" },
        }), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
        var contactId = JsonDocument.Parse(await recorded.Content.ReadAsStringAsync()).RootElement.GetProperty("contactId").GetGuid();
        await app.CaughtUpAsync();
        using var manager = await app.ClientAsAsync("manager");
        var contact = JsonDocument.Parse(await manager.GetStringAsync($"/api/contacts/{contactId:D}")).RootElement;
        return contact.GetProperty("referrals")[0].GetProperty("referralId").GetGuid();
    }
}
