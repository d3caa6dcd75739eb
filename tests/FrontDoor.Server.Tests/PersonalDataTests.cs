using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using FrontDoor.Contracts;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.ReadModels;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// UK GDPR in the log: personal fields sealed per resident, erasure by shredding the key, subject access in one
/// call, consent that changes what a service worker sees, and retention that erases on schedule.
/// </summary>
public sealed class PersonalDataTests
{
    public static TheoryData<string> Backends => FrontDoorApp.Backends;

    private static readonly Person Philippa = new(
        new ResidentDetails("Philippa Quarmby", "1961-04-17", "CH3 5TT", "07700 900123", "p.quarmby@example.org"),
        ["boiler broke during the frost in Upton", "rent arrears letter from Sanctuary"]);

    private static readonly Person Bartholomew = new(
        new ResidentDetails("Bartholomew Okonjo", "1979-11-02", "CH2 1LN", "07700 900456", "b.okonjo@example.org"),
        ["the landlord changed the locks at Hoole"]);

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task After_erasure_no_table_holds_anything_of_the_resident_and_everyone_else_is_untouched(string backend)
    {
        var app = await FrontDoorApp.StartAsync(backend);
        try
        {
            var api = await Api.ForAsync(app);
            var philippasContacts = await RecordAsync(api, Philippa);
            var bartholomewsContact = Assert.Single(await RecordAsync(api, Bartholomew));
            await app.CaughtUpAsync();
            var residentId = (await api.ContactAsync(philippasContacts[0])).ResidentId!.Value;

            // No table holds the resident's words or details in the clear, even before any erasure: the log holds
            // them sealed and the search's read model only keyed digests (the scan finds plaintext: see FindAsync's
            // own check below).
            Assert.Empty(await FindAsync(app, backend, Philippa.Traces));

            using var erased = await api.Manager.PostAsJsonAsync($"/api/residents/{residentId:D}/erasure", new EraseResidentRequest("request", "SAR-2026-0117"));
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
            var erasure = (await erased.Content.ReadFromJsonAsync<ErasureResponse>())!;
            Assert.Equal("request", erasure.Basis);
            Assert.Equal("SAR-2026-0117", erasure.Reference);
            await app.CaughtUpAsync();

            Assert.Empty(await FindAsync(app, backend, Philippa.Traces));

            // Every API shows the erasure, and nothing breaks on the unreadable fields.
            var contact = await api.ContactAsync(philippasContacts[0]);
            Assert.True(contact.Resident!.Erased);
            Assert.Null(contact.Resident.Name);
            Assert.True(contact.SummaryErased);
            Assert.Equal(string.Empty, contact.Summary);
            var search = await api.SearchAsync(name: "Philippa Quarmby");
            Assert.Empty(search.Residents);

            // Another resident is whole and readable.
            var other = await api.ContactAsync(bartholomewsContact);
            Assert.Equal("Bartholomew Okonjo", other.Resident!.Name);
            Assert.Equal("07700 900456", other.Resident.Phone);
            Assert.Contains(Bartholomew.Phrases[0], other.Summary, StringComparison.Ordinal);
            var found = await api.SearchAsync(name: "Bartholomew Okonjo");
            Assert.Equal("Bartholomew Okonjo", Assert.Single(found.Residents).Name);

            // The read model rebuilt from the log after erasure: the erased fields fold as null, not as errors.
            var report = await app.Connection.RebuildAsync(RebuildableReadModels.Find("residents")!, null, CancellationToken.None);
            Assert.Equal(1, report.Rows);
            Assert.Empty(await FindAsync(app, backend, Philippa.Traces));
            Assert.Empty(await FindAsync(app, backend, Bartholomew.Traces));
            found = await api.SearchAsync(name: "Bartholomew Okonjo");
            Assert.Single(found.Residents);
        }
        finally
        {
            await app.DisposeAsync();
            await app.DeleteDataAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Subject_access_holds_every_contact_and_every_look_at_the_record_and_nothing_of_anyone_else(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var philippasContacts = await RecordAsync(api, Philippa);
        var bartholomewsContact = Assert.Single(await RecordAsync(api, Bartholomew));
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(philippasContacts[0])).ResidentId!.Value;
        using (await api.Worker("housing").GetAsync($"/api/contacts/{philippasContacts[0]:D}"))
        {
        }

        using var consent = await api.Client.PostAsJsonAsync($"/api/residents/{residentId:D}/consent/withdrawal", new ConsentRequest(["housing"], [], "written"));
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);

        var access = (await api.Manager.GetFromJsonAsync<SubjectAccessResponse>($"/api/residents/{residentId:D}/subject-access"))!;

        Assert.Equal("Philippa Quarmby", access.Details.Name);
        Assert.Equal("07700 900123", access.Details.Phone);
        Assert.Equal(philippasContacts.Order(), access.Contacts.Select(c => c.ContactId).Order());
        Assert.All(Philippa.Phrases, phrase => Assert.Contains(access.Contacts, c => c.Summary.Contains(phrase, StringComparison.Ordinal)));
        Assert.All(access.Contacts, c => Assert.NotEmpty(c.History));
        Assert.Contains(access.ConsentHistory, c => c.Change == "given" && c.Method == "spoken");
        Assert.Contains(access.ConsentHistory, c => c.Change == "withdrawn" && c.Method == "written" && c.Services.SequenceEqual(["housing"]));
        Assert.DoesNotContain("housing", access.Consent.Services);

        // Every look at the record is there: the log of views read on its own, plus the subject access itself.
        var log = (await api.Manager.GetFromJsonAsync<AccessLogResponse>($"/api/residents/{residentId:D}/access-log"))!;
        Assert.Equal(log.Entries.Count, access.AccessLog.Count);
        Assert.Contains(access.AccessLog, a => a.Role == "worker" && a.Service == "housing" && a.ContactId == philippasContacts[0]);
        Assert.Contains(access.AccessLog, a => a.Role == "manager" && a.Subject == "subject-access");

        using var json = await api.Manager.GetAsync($"/api/residents/{residentId:D}/subject-access");
        var raw = await json.Content.ReadAsStringAsync();
        Assert.All(Bartholomew.Traces.Append(bartholomewsContact.ToString("D")), trace => Assert.DoesNotContain(trace, raw, StringComparison.OrdinalIgnoreCase));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/residents/{residentId:D}/subject-access");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var page = await api.Manager.SendAsync(request);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Philippa Quarmby", html, StringComparison.Ordinal);
        Assert.All(philippasContacts, id => Assert.Contains($"data-contact-id=\"{id:D}\"", html, StringComparison.Ordinal));
        Assert.All(Philippa.Phrases, phrase => Assert.Contains(phrase, html, StringComparison.Ordinal));
        Assert.Contains("Who has looked at your record", html, StringComparison.Ordinal);
        Assert.All(Bartholomew.Traces.Append(bartholomewsContact.ToString("D")), trace => Assert.DoesNotContain(trace, html, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Withdrawing_consent_hides_the_residents_details_from_the_service_at_once(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], Philippa.Phrases[0], resident: Philippa.Details, consent: true));
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(contactId)).ResidentId!.Value;
        var housing = api.Worker("housing");

        Assert.Equal("Philippa Quarmby", (await housing.GetFromJsonAsync<ContactResponse>($"/api/contacts/{contactId:D}"))!.Resident?.Name);

        using var withdrawn = await api.Client.PostAsJsonAsync($"/api/residents/{residentId:D}/consent/withdrawal", new ConsentRequest(["housing"], [], "spoken"));
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.DoesNotContain("housing", (await withdrawn.Content.ReadFromJsonAsync<ConsentResponse>())!.Services);

        // No waiting on any projection: the next read already follows the withdrawal.
        var seen = (await housing.GetFromJsonAsync<ContactResponse>($"/api/contacts/{contactId:D}"))!;
        Assert.Null(seen.Resident);
        Assert.Equal("Philippa Quarmby", (await api.ContactAsync(contactId)).Resident?.Name);

        using var given = await api.Client.PostAsJsonAsync($"/api/residents/{residentId:D}/consent", new ConsentRequest(["housing"], [], "written"));
        Assert.Equal(HttpStatusCode.OK, given.StatusCode);
        Assert.Equal("Philippa Quarmby", (await housing.GetFromJsonAsync<ContactResponse>($"/api/contacts/{contactId:D}"))!.Resident?.Name);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_contact_answering_no_to_sharing_withdraws_consent_from_the_team_it_went_to_and_no_other(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var first = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], Philippa.Phrases[0], resident: Philippa.Details, consent: true));
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(first)).ResidentId!.Value;
        Assert.Contains("housing", (await api.Client.GetFromJsonAsync<ConsentResponse>($"/api/residents/{residentId:D}/consent"))!.Services);

        var second = await api.RecordAsync(Api.Contact("web", ["money-and-debt"], Philippa.Phrases[1], resident: Philippa.Details, consent: false));
        await app.CaughtUpAsync();

        // The "no" was about the team the second contact went to: housing keeps what the first contact agreed.
        Assert.Equal(["housing"], (await api.Client.GetFromJsonAsync<ConsentResponse>($"/api/residents/{residentId:D}/consent"))!.Services);
        Assert.Equal("Philippa Quarmby", (await api.Worker("housing").GetFromJsonAsync<ContactResponse>($"/api/contacts/{first:D}"))!.Resident?.Name);
        Assert.Null((await api.Worker("poverty-support").GetFromJsonAsync<ContactResponse>($"/api/contacts/{second:D}"))!.Resident);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Bad_erasure_and_consent_requests_are_refused_by_field_and_change_nothing(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = Assert.Single(await RecordAsync(api, Bartholomew));
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(contactId)).ResidentId!.Value;
        var version = await app.Store.ReadStreamVersionAsync($"resident-{residentId:D}");

        await AssertInvalidAsync(await api.Manager.PostAsJsonAsync($"/api/residents/{residentId:D}/erasure", new EraseResidentRequest("  ")), "basis");
        await AssertInvalidAsync(await api.Manager.PostAsJsonAsync($"/api/residents/{residentId:D}/erasure", new EraseResidentRequest("request", new string('x', 41))), "reference");
        await AssertInvalidAsync(await api.Client.PostAsJsonAsync($"/api/residents/{residentId:D}/consent", new ConsentRequest(["housing"], [], "telepathy")), "method");
        await AssertInvalidAsync(await api.Client.PostAsJsonAsync($"/api/residents/{residentId:D}/consent", new ConsentRequest(["front-door-triage"], [], "spoken")), "services");
        await AssertInvalidAsync(await api.Client.PostAsJsonAsync($"/api/residents/{residentId:D}/consent", new ConsentRequest([], ["Age UK; drop table"], "spoken")), "partners");

        using var agentErasing = await api.Client.PostAsJsonAsync($"/api/residents/{residentId:D}/erasure", new EraseResidentRequest("request", "SAR-1"));
        Assert.Equal(HttpStatusCode.Forbidden, agentErasing.StatusCode);
        using var unknown = await api.Manager.PostAsJsonAsync($"/api/residents/{Guid.NewGuid():D}/erasure", new EraseResidentRequest("request", "SAR-1"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/residents/{residentId:D}/erasure") { Content = JsonContent.Create(new EraseResidentRequest("request", "SAR-1")) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version - 1}\""));
        using var staleResponse = await api.Manager.SendAsync(stale);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleResponse.StatusCode);

        Assert.Equal(version, await app.Store.ReadStreamVersionAsync($"resident-{residentId:D}"));
        Assert.Equal("Bartholomew Okonjo", (await api.ContactAsync(contactId)).Resident?.Name);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Retention_erases_residents_whose_records_have_all_passed_it_and_records_why(string backend)
    {
        // Periods of seconds: each subject's retention date is a message scheduled for the day its records pass them.
        await using var app = await FrontDoorApp.StartAsync(backend, new Dictionary<string, string?>
        {
            ["PersonalData:Retention:Contacts"] = "00:00:03",
            ["PersonalData:Retention:Referrals"] = "00:00:03",
        });
        var api = await Api.ForAsync(app);

        // Philippa's only contact is closed; Carys still has a referral open, however long ago it was raised.
        // A contact that gave no name is its own data subject and is kept on the same terms.
        var closed = await api.RecordAsync(Api.Contact("phone", ["isolation-and-wellbeing"], Philippa.Phrases[0], resident: Philippa.Details));
        var open = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], "Struggling with council tax.", resident: new ResidentDetails("Carys Pritchard", "1990-06-06", "CH1 2HS", null, null)));
        var anonymous = await api.RecordAsync(Api.Contact("welcoming-space", ["isolation-and-wellbeing"], AnonymousPhrase, siteId: "welcoming-space-chester-library"));
        await app.CaughtUpAsync();
        foreach (var contactId in new[] { closed, anonymous })
        {
            using var done = await api.Client.PostAsJsonAsync($"/api/contacts/{contactId:D}/follow-up", new CompleteFollowUpRequest(true, "Joined the lunch club."));
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        await app.CaughtUpAsync();
        Assert.Equal("closed", (await api.ContactAsync(closed)).Status);
        var lastActivity = (await api.ContactAsync(closed)).History.Max(h => h.At);

        var philippa = (await api.ContactAsync(closed)).ResidentId!.Value;
        await Eventually.True(async () => (await api.ContactAsync(closed)).Resident?.Erased == true, "the closed contact's resident is erased on their retention date");
        await app.CaughtUpAsync();

        var access = (await api.Manager.GetFromJsonAsync<SubjectAccessResponse>($"/api/residents/{philippa:D}/subject-access"))!;
        Assert.Equal("retention", access.Erasure!.Basis);
        Assert.Equal("system:retention", access.Erasure.ErasedBy);
        Assert.Equal("contacts-0d/referrals-0d", access.Erasure.Reference);
        Assert.True(access.Erasure.ErasedAt >= lastActivity.AddSeconds(3), $"erased at {access.Erasure.ErasedAt:O}, before the period from {lastActivity:O} had passed");
        Assert.True(access.Details.Erased);
        Assert.Empty(await FindAsync(app, backend, Philippa.Traces));

        await Eventually.True(async () => (await api.ContactAsync(anonymous)).SummaryErased, "the contact without a resident is erased on its retention date");
        var erasedContact = await api.ContactAsync(anonymous);
        Assert.Contains(erasedContact.History, h => h.Type == "contact-personal-data-erased.v1" && h.Actor == "system:retention");
        Assert.Empty(await FindAsync(app, backend, ["Joined the lunch club."]));

        // Work still open keeps its subject, and so does a contact that came in after the others were erased.
        var recent = Assert.Single(await RecordAsync(api, Bartholomew));
        var recentAnonymous = await api.RecordAsync(Api.Contact("web", ["money-and-debt"], "Cannot afford the school uniform this term."));
        await app.CaughtUpAsync();
        Assert.Equal("Carys Pritchard", (await api.ContactAsync(open)).Resident?.Name);
        Assert.Equal("Bartholomew Okonjo", (await api.ContactAsync(recent)).Resident?.Name);
        Assert.Equal([true, false], await ShreddedAsync(app, anonymous, recentAnonymous));
        Assert.Equal("Cannot afford the school uniform this term.", (await api.ContactAsync(recentAnonymous)).Summary);
    }

    private const string AnonymousPhrase = "Lonely since moving to Blacon in the spring.";

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Bug_9_a_retried_contact_after_erasure_answers_with_the_contact_and_registers_nobody(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var request = Api.Contact("phone", ["housing-advice"], Philippa.Phrases[0], resident: Philippa.Details);
        var contactId = await api.RecordAsync(request, idempotencyKey: "call-2026-11-29-0917");
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(contactId)).ResidentId!.Value;
        using (var erased = await api.Manager.PostAsJsonAsync($"/api/residents/{residentId:D}/erasure", new EraseResidentRequest("request", "SAR-2026-0200")))
        {
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        }

        var head = await app.Store.ReadHeadPositionAsync();
        Assert.Equal(contactId, await api.RecordAsync(request, idempotencyKey: "call-2026-11-29-0917"));

        // Nothing appended: no new resident record holding the erased person's details again.
        Assert.Equal(head, await app.Store.ReadHeadPositionAsync());
        await app.CaughtUpAsync();
        Assert.Empty(await FindAsync(app, backend, Philippa.Traces));
    }

    /// <summary>What staff wrote about Philippa: each is her personal data as much as her own words are.</summary>
    private static readonly string[] StaffPhrases =
    [
        "tenancy officer should visit Philippa about the mould",
        "arranged a hardship payment of 240 pounds for Philippa",
        "triage found Philippa a place at the Upton food bank",
        "Philippa says the boiler is fixed and the debt plan holds",
    ];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Bug_20_what_staff_wrote_is_sealed_readable_while_held_and_gone_after_erasure(string backend)
    {
        var app = await FrontDoorApp.StartAsync(backend);
        try
        {
            var api = await Api.ForAsync(app);
            var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice", "money-and-debt"], Philippa.Phrases[0], resident: Philippa.Details));
            await app.CaughtUpAsync();
            var referrals = (await api.ContactAsync(contactId)).Referrals;
            var housing = referrals.Single(r => r.Service == "housing").ReferralId;
            var poverty = referrals.Single(r => r.Service == "poverty-support").ReferralId;

            // Housing hands it back (to triage), poverty support and triage complete, and the agent checks back.
            await api.ActOkAsync(housing, "claim");
            await api.ActOkAsync(housing, "return", new ReturnReferralRequest(StaffPhrases[0], null));
            await api.WorkThroughAsync(poverty, StaffPhrases[1]);
            await app.CaughtUpAsync();
            var triage = (await api.ContactAsync(contactId)).Referrals.Single(r => r.Service == "front-door-triage").ReferralId;
            await api.WorkThroughAsync(triage, StaffPhrases[2]);
            await app.CaughtUpAsync();
            using (var checkedBack = await api.Client.PostAsJsonAsync($"/api/contacts/{contactId:D}/follow-up", new CompleteFollowUpRequest(true, StaffPhrases[3])))
            {
                Assert.Equal(HttpStatusCode.OK, checkedBack.StatusCode);
            }

            await app.CaughtUpAsync();
            var residentId = (await api.ContactAsync(contactId)).ResidentId!.Value;

            // While held, whoever may see the contact reads it all: the history, the referrals, subject access.
            var contact = await api.ContactAsync(contactId);
            Assert.All(StaffPhrases, phrase => Assert.Contains(contact.History, h => h.Description.Contains(phrase, StringComparison.Ordinal)));
            Assert.Equal(StaffPhrases[1], contact.Referrals.Single(r => r.ReferralId == poverty).Outcome);
            Assert.Equal(StaffPhrases[0], (await api.ReferralAsync(housing)).ReturnReason);
            var theirs = (await api.Worker("poverty-support").GetFromJsonAsync<ReferralResponse>($"/api/referrals/{poverty:D}"))!;
            Assert.Equal(StaffPhrases[1], theirs.Outcome);
            var held = await api.Manager.GetStringAsync($"/api/residents/{residentId:D}/subject-access");
            Assert.All(StaffPhrases, phrase => Assert.Contains(phrase, held, StringComparison.Ordinal));

            // ...but no table holds it in the clear: the log only as ciphertext, the read models not at all.
            Assert.Empty(await FindAsync(app, backend, StaffPhrases));

            using (var erased = await api.Manager.PostAsJsonAsync($"/api/residents/{residentId:D}/erasure", new { basis = "request", reference = "SAR-2026-0042" }))
            {
                Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
            }

            await app.CaughtUpAsync();

            contact = await api.ContactAsync(contactId);
            var history = string.Join("\n", contact.History.Select(h => h.Description));
            Assert.All(StaffPhrases, phrase => Assert.DoesNotContain(phrase, history, StringComparison.Ordinal));
            Assert.Contains(contact.History, h => h.ReferralId == housing && h.Type == "referral-returned.v1" && h.Description.Contains("erased", StringComparison.Ordinal));
            Assert.Contains(contact.History, h => h.Type == "contact-follow-up-completed.v1" && h.Description.Contains("erased", StringComparison.Ordinal));
            Assert.All(contact.Referrals, r => Assert.Null(r.Outcome));
            Assert.Null((await api.ReferralAsync(housing)).ReturnReason);
            Assert.Null((await api.ReferralAsync(poverty)).Outcome);
            Assert.Equal("completed", (await api.ReferralAsync(poverty)).Status);
            var access = await api.Manager.GetStringAsync($"/api/residents/{residentId:D}/subject-access");
            Assert.All(StaffPhrases, phrase => Assert.DoesNotContain(phrase, access, StringComparison.Ordinal));
            using var page = new HttpRequestMessage(HttpMethod.Get, $"/api/residents/{residentId:D}/subject-access?format=html");
            var html = await (await api.Manager.SendAsync(page)).Content.ReadAsStringAsync();
            Assert.All(StaffPhrases, phrase => Assert.DoesNotContain(phrase, html, StringComparison.Ordinal));
            Assert.Empty(await FindAsync(app, backend, StaffPhrases));
        }
        finally
        {
            await app.DisposeAsync();
            await app.DeleteDataAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Bug_20_an_erasure_records_a_basis_and_a_reference_never_free_text(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = Assert.Single(await RecordAsync(api, Bartholomew));
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(contactId)).ResidentId!.Value;
        var version = await app.Store.ReadStreamVersionAsync($"resident-{residentId:D}");
        var erasure = $"/api/residents/{residentId:D}/erasure";

        await AssertInvalidAsync(await api.Manager.PostAsJsonAsync(erasure, new { reason = "Mr Okonjo rang on Tuesday and asked us to delete everything" }), "reason");
        await AssertInvalidAsync(await api.Manager.PostAsJsonAsync(erasure, new { basis = "he asked us to" }), "basis");
        await AssertInvalidAsync(await api.Manager.PostAsJsonAsync(erasure, new { reference = "SAR-2026-0042" }), "basis");
        await AssertInvalidAsync(await api.Manager.PostAsJsonAsync(erasure, new { basis = "request", reference = "Bartholomew Okonjo asked" }), "reference");
        await AssertInvalidAsync(await api.Manager.PostAsJsonAsync(erasure, new { basis = "request", reference = "-SAR-2026" }), "reference");
        await AssertInvalidAsync(await api.Manager.PostAsJsonAsync(erasure, new { basis = "request", reference = new string('A', 41) }), "reference");
        Assert.Equal(version, await app.Store.ReadStreamVersionAsync($"resident-{residentId:D}"));
        Assert.Equal("Bartholomew Okonjo", (await api.ContactAsync(contactId)).Resident?.Name);

        using var erased = await api.Manager.PostAsJsonAsync(erasure, new { basis = "recorded-in-error", reference = "SAR-2026-0042" });
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var recorded = await erased.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("recorded-in-error", recorded.GetProperty("basis").GetString());
        Assert.Equal("SAR-2026-0042", recorded.GetProperty("reference").GetString());
        Assert.False(recorded.TryGetProperty("reason", out _));

        // No reference is needed (retention has none to give), and repeating the erasure answers with the first.
        using var again = await api.Manager.PostAsJsonAsync(erasure, new { basis = "request" });
        Assert.Equal("SAR-2026-0042", (await again.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("reference").GetString());
    }

    private static async Task<List<Guid>> RecordAsync(Api api, Person person)
    {
        var ids = new List<Guid>();
        var channels = new[] { "phone", "web" };
        for (var i = 0; i < person.Phrases.Length; i++)
        {
            ids.Add(await api.RecordAsync(Api.Contact(channels[i % 2], ["housing-advice"], $"Said that the {person.Phrases[i]}.", resident: person.Details)));
        }

        return ids;
    }

    /// <summary>For each contact, whether its own key (the key of a contact that named no resident) is shredded.</summary>
    private static async Task<List<bool>> ShreddedAsync(FrontDoorApp app, params Guid[] contacts)
    {
        await using var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None);
        var shredded = new List<bool>();
        foreach (var contactId in contacts)
        {
            var material = await Sql.QueryAsync(connection, null, "SELECT key_material FROM pd_keys WHERE subject_id = @id", r => r.IsDBNull(0), CancellationToken.None, ("id", contactId.ToString("D")));
            shredded.Add(Assert.Single(material));
        }

        return shredded;
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}' in {problem}");
        }
    }

    /// <summary>Every row of every table of the store (Marten's events and streams, read models, keys, Wolverine's messages and dead letters, migrations), as text.</summary>
    private static async Task<List<string>> FindAsync(FrontDoorApp app, string backend, IReadOnlyList<string> traces)
    {
        await using var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None);
        var tables = await Sql.QueryAsync(connection, null, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", r => r.GetString(0), CancellationToken.None);
        Assert.Contains("mt_events", tables);
        Assert.Contains("mt_streams", tables);
        Assert.Contains("pd_keys", tables);
        Assert.Contains("wolverine_incoming_envelopes", tables);
        Assert.Contains("wolverine_dead_letters", tables);

        // The scan would find a trace if one were there: the staff directory holds the names of those who signed in.
        var scanned = 0;
        var hits = new List<string>();
        foreach (var table in tables)
        {
            var rows = await Sql.QueryAsync(
                connection,
                null,
                $"SELECT * FROM \"{table}\"",
                r => string.Join('\u001f', Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? string.Empty : r.GetValue(i) is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))),
                CancellationToken.None);
            hits.AddRange(traces.Where(t => rows.Any(row => row.Contains(t, StringComparison.OrdinalIgnoreCase))).Select(t => $"{table}: {t}"));
            scanned += table == "staff_members" && rows.Any(row => row.Contains("Alex Agent", StringComparison.Ordinal)) ? 1 : 0;
        }

        Assert.Equal(1, scanned);
        return hits;
    }

    private sealed record Person(ResidentDetails Details, string[] Phrases)
    {
        /// <summary>What must never be left once the resident is erased: their details and their own words.</summary>
        public IReadOnlyList<string> Traces =>
            [Details.Name!, Details.DateOfBirth!, Details.Phone!, Details.Email!, Details.Postcode!, .. Phrases];
    }
}
