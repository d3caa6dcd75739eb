using System.Net;
using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// Notes on a case: written by the team holding it or a manager, kept on the referral's stream sealed under the
/// resident's key, shown newest first, in subject access, and unreadable after erasure.
/// </summary>
public sealed class CaseNotesTests
{
    private static readonly ResidentDetails Wynne = new("Wynne Ashcroft", "1958-03-14", "CH4 7QX", "07700 900871", null);

    private const string FirstNote = "Rang the landlord about the damp; visit booked for Friday.";
    private const string SecondNote = "Visited: mould in the back bedroom, repair order raised.";

    [Fact]
    public async Task A_worker_of_the_service_adds_notes_that_the_case_shows_newest_first_and_a_retry_records_once()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var referralId = await HousingReferralAsync(app, api);
        var housing = api.Worker("housing");

        using var first = await PostNoteAsync(housing, referralId, FirstNote, "note-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = (await first.Content.ReadFromJsonAsync<CaseNoteResponse>())!;
        Assert.Equal((referralId, FirstNote), (created.ReferralId, created.Text));
        Assert.Equal($"\"{created.Version}\"", first.Headers.ETag!.Tag);
        Assert.Equal($"/api/referrals/{referralId:D}", first.Headers.Location!.OriginalString);

        // The same note sent again (a lost response, a double click) is the same note.
        using var again = await PostNoteAsync(housing, referralId, FirstNote, "note-1");
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(created.NoteId, (await again.Content.ReadFromJsonAsync<CaseNoteResponse>())!.NoteId);

        using var second = await PostNoteAsync(api.Manager, referralId, SecondNote, "note-2");
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);

        var notes = (await housing.GetFromJsonAsync<ReferralResponse>($"/api/referrals/{referralId:D}"))!.Notes!;
        Assert.Equal([SecondNote, FirstNote], notes.Select(n => n.Text));
        Assert.Equal(created.NoteId, notes[1].NoteId);
        Assert.NotEqual(notes[0].By, notes[1].By);
        await app.SettledAsync();
    }

    [Fact]
    public async Task Only_the_team_holding_the_case_or_a_manager_writes_on_it_and_a_bad_note_changes_nothing()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var referralId = await HousingReferralAsync(app, api);
        var before = (await api.ReferralAsync(referralId)).Version;

        // Another service's worker is not told the case exists; an agent is told it is another team's.
        using var otherTeam = await PostNoteAsync(api.Worker("early-help"), referralId, FirstNote);
        Assert.Equal(HttpStatusCode.NotFound, otherTeam.StatusCode);
        using var otherTeamReads = await api.Worker("early-help").GetAsync($"/api/referrals/{referralId:D}");
        Assert.Equal(HttpStatusCode.NotFound, otherTeamReads.StatusCode);
        using var agent = await PostNoteAsync(api.Client, referralId, FirstNote);
        Assert.Equal(HttpStatusCode.Forbidden, agent.StatusCode);
        using var anonymous = await PostNoteAsync(api.Anonymous, referralId, FirstNote);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        foreach (var (text, reason) in new[] { ("   ", "Write the note."), (new string('x', 2001), "At most 2000 characters.") })
        {
            using var bad = await PostNoteAsync(api.Worker("housing"), referralId, text);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var problem = await bad.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.Equal(reason, problem.GetProperty("errors").GetProperty("text")[0].GetString());
        }

        using var unknown = await PostNoteAsync(api.Worker("housing"), Guid.NewGuid(), FirstNote);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var after = await api.ReferralAsync(referralId);
        Assert.Equal(before, after.Version);
        Assert.Empty(after.Notes!);
        await app.SettledAsync();
    }

    [Fact]
    public async Task Notes_are_in_subject_access_stored_only_sealed_and_unreadable_after_erasure()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var referralId = await HousingReferralAsync(app, api);
        using (var noted = await PostNoteAsync(api.Worker("housing"), referralId, FirstNote))
        {
            Assert.Equal(HttpStatusCode.Created, noted.StatusCode);
        }

        var referral = await api.ReferralAsync(referralId);
        var residentId = (await api.ContactAsync(referral.ContactId)).ResidentId!.Value;
        var access = (await api.Manager.GetFromJsonAsync<SubjectAccessResponse>($"/api/residents/{residentId:D}/subject-access"))!;
        var inAccess = Assert.Single(access.CaseNotes!);
        Assert.Equal((referral.ContactId, referralId, "housing", FirstNote), (inAccess.ContactId, inAccess.ReferralId, inAccess.Service, inAccess.Text));
        using (var page = new HttpRequestMessage(HttpMethod.Get, $"/api/residents/{residentId:D}/subject-access?format=html"))
        {
            using var html = await api.Manager.SendAsync(page);
            Assert.Contains("visit booked for Friday", await html.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The log holds the note only as ciphertext.
        var stored = (await app.Store.ReadStreamAsync(StreamIds.Referral(referralId))).Single(e => e.Type == "referral-note-added.v1");
        Assert.DoesNotContain("landlord", stored.Data, StringComparison.OrdinalIgnoreCase);

        using (var erased = await api.Manager.PostAsJsonAsync($"/api/residents/{residentId:D}/erasure", new EraseResidentRequest("request", "SAR-2026-0301")))
        {
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        }

        await app.CaughtUpAsync();
        var note = Assert.Single((await api.ReferralAsync(referralId)).Notes!);
        Assert.Null(note.Text);
        await app.SettledAsync();
    }

    private static async Task<Guid> HousingReferralAsync(FrontDoorApp app, Api api)
    {
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Damp and mould in the flat; the landlord will not answer.", resident: Wynne));
        await app.CaughtUpAsync();
        return Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;
    }

    private static Task<HttpResponseMessage> PostNoteAsync(HttpClient client, Guid referralId, string text, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{referralId:D}/notes") { Content = JsonContent.Create(new AddNoteRequest(text)) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }
}
