using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// Two records of one person, merged by a manager: look-ups find one record with both histories, new contacts land
/// on it, and subject access and erasure cover everything either record held.
/// </summary>
public sealed class MergeResidentsTests
{
    // The same person, recorded twice: once at an old postcode, once with the date of birth typed wrongly.
    private static readonly ResidentDetails AtOldAddress = new("Rhian Pugh", "1975-04-12", "CH2 1AA", "07700 900111", null);
    private static readonly ResidentDetails WrongDate = new("Rhian Pugh", "1975-12-04", "CH4 9ZZ", null, "rhian@example.org");

    [Fact]
    public async Task Bug_18_a_manager_merges_two_records_of_one_person_and_everything_follows_the_merged_record()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var first = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: AtOldAddress));
        var second = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], resident: WrongDate));
        await app.CaughtUpAsync();
        var keep = (await api.ContactAsync(first)).ResidentId!.Value;
        var duplicate = (await api.ContactAsync(second)).ResidentId!.Value;
        Assert.Equal(2, (await api.SearchAsync(name: "Rhian Pugh")).Residents.Count);

        using (var merged = await Merge(api.Manager, keep, duplicate, "Same phone number; the resident confirmed the old address."))
        {
            Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        }

        await app.CaughtUpAsync();

        // One record, with both records' contacts and open referrals.
        var found = Assert.Single((await api.SearchAsync(name: "Rhian Pugh")).Residents);
        Assert.Equal((keep, 2), (found.ResidentId, found.ContactCount));
        Assert.Equal(new[] { first, second }.Order(), found.Contacts.Select(c => c.ContactId).Order());
        Assert.Equal(["housing", "poverty-support"], found.OpenReferrals.Select(r => r.Service).Order(StringComparer.Ordinal));

        // A new contact matching the merged record's details lands on the record the person is held in, and the
        // agent choosing the merged record's id is taken there too.
        var third = await api.RecordAsync(Api.Contact("phone", ["food-and-fuel"], resident: WrongDate));
        var fourth = await api.RecordAsync(Api.Contact("phone", ["carer-support"]) with { ResidentId = duplicate });
        await app.CaughtUpAsync();
        Assert.Equal(keep, (await api.ContactAsync(third)).ResidentId);
        Assert.Equal(keep, (await api.ContactAsync(fourth)).ResidentId);

        // Subject access, asked for either record, covers both.
        foreach (var asked in new[] { keep, duplicate })
        {
            var access = (await api.Manager.GetFromJsonAsync<SubjectAccessResponse>($"/api/residents/{asked:D}/subject-access"))!;
            Assert.Equal(keep, access.ResidentId);
            Assert.Equal(new[] { first, second, third, fourth }.Order(), access.Contacts.Select(c => c.ContactId).Order());
            var mergedRecord = Assert.Single(access.MergedRecords!);
            Assert.Equal((duplicate, "1975-12-04", "Same phone number; the resident confirmed the old address."), (mergedRecord.ResidentId, mergedRecord.Details.DateOfBirth, mergedRecord.Reason));
        }

        using (var page = new HttpRequestMessage(HttpMethod.Get, $"/api/residents/{keep:D}/subject-access"))
        {
            page.Headers.Accept.ParseAdd("text/html");
            using var html = await api.Manager.SendAsync(page);
            var text = await html.Content.ReadAsStringAsync();
            Assert.Contains("Another record of yours", text, StringComparison.Ordinal);
            Assert.Contains("1975-12-04", text, StringComparison.Ordinal);
        }

        // Erasure of the person erases both records.
        using (var erased = await api.Manager.PostAsJsonAsync($"/api/residents/{duplicate:D}/erasure", new EraseResidentRequest("request", "SAR-7")))
        {
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        }

        await app.CaughtUpAsync();
        var after = (await api.Manager.GetFromJsonAsync<SubjectAccessResponse>($"/api/residents/{keep:D}/subject-access"))!;
        Assert.True(after.Details.Erased);
        Assert.True(Assert.Single(after.MergedRecords!).Details.Erased);
        Assert.Null(after.MergedRecords![0].Reason);
        Assert.Empty((await api.SearchAsync(name: "Rhian Pugh")).Residents);
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_merge_that_cannot_stand_is_refused_naming_why_and_changes_nothing()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: AtOldAddress));
        await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: WrongDate));
        await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: AtOldAddress with { Postcode = "CH1 1BB" }));
        await app.CaughtUpAsync();
        var ids = (await api.SearchAsync(name: "Rhian Pugh")).Residents.Select(r => r.ResidentId).ToList();
        Assert.Equal(3, ids.Count);
        var head = await app.Store.ReadHeadPositionAsync();

        await AssertField(await Merge(api.Manager, ids[0], ids[1], " "), "reason");
        await AssertField(await Merge(api.Manager, ids[0], ids[0], "same"), "mergedResidentId");
        await AssertField(await Merge(api.Manager, ids[0], Guid.NewGuid(), "same"), "mergedResidentId");
        using (var notFound = await Merge(api.Manager, Guid.NewGuid(), ids[1], "same"))
        {
            Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        }

        using (var worker = await Merge(api.Worker("housing"), ids[0], ids[1], "same"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, worker.StatusCode);
        }

        using (var agent = await Merge(api.Client, ids[0], ids[1], "same"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, agent.StatusCode);
        }

        Assert.Equal(head, await app.Store.ReadHeadPositionAsync());

        // Merged once; merging the same record elsewhere, or a record that took others in, is a conflict.
        using (var merged = await Merge(api.Manager, ids[0], ids[1], "same person"))
        {
            Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        }

        using (var again = await Merge(api.Manager, ids[0], ids[1], "same person"))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var afterMerge = await app.Store.ReadHeadPositionAsync();
        foreach (var (into, from, code) in new[] { (ids[2], ids[1], "resident.already-merged"), (ids[2], ids[0], "resident.has-merged-records"), (ids[1], ids[2], "resident.merged") })
        {
            using var refused = await Merge(api.Manager, into, from, "same person");
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal(code, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }

        Assert.Equal(afterMerge, await app.Store.ReadHeadPositionAsync());
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_18_old_contacts_on_a_merged_record_never_erase_a_person_still_in_touch()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?>
        {
            // A period of a day, passed by advancing the server's clock: a period of seconds would pass on the wall
            // clock too, on a loaded machine before the merge is made, and erase the record the test merges.
            ["PersonalData:Retention:Contacts"] = "1.00:00:00",
            ["PersonalData:Retention:Referrals"] = "1.00:00:00",
        });
        var api = await Api.ForAsync(app);

        // The merged record's only contact is closed and will pass its period; the record kept has work open. The
        // merge is made within the period, before anything could be erased.
        var old = await api.RecordAsync(Api.Contact("phone", ["isolation-and-wellbeing"], resident: WrongDate));
        await app.CaughtUpAsync();
        using (var done = await api.Client.PostAsJsonAsync($"/api/contacts/{old:D}/follow-up", new CompleteFollowUpRequest(true, "Joined the lunch club.")))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        var current = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], resident: AtOldAddress));
        await app.CaughtUpAsync();
        var duplicate = (await api.ContactAsync(old)).ResidentId!.Value;
        var keep = (await api.ContactAsync(current)).ResidentId!.Value;
        using (var merged = await Merge(api.Manager, keep, duplicate, "Same person."))
        {
            Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        }

        await app.CaughtUpAsync();
        // The period passes on the server's clock, not by waiting for it.
        app.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        // The merged record's retention date comes: it is the person's, who still has work open.
        await app.HandleNowAsync(new FrontDoor.Server.Residents.ApplyingRetention.RetentionDate(duplicate));
        await app.CaughtUpAsync();
        var access = (await api.Manager.GetFromJsonAsync<SubjectAccessResponse>($"/api/residents/{keep:D}/subject-access"))!;
        Assert.False(access.Details.Erased);
        Assert.False(Assert.Single(access.MergedRecords!).Details.Erased);
        Assert.Equal("Rhian Pugh", (await api.ContactAsync(current)).Resident?.Name);
        await app.SettledAsync();
    }

    private static Task<HttpResponseMessage> Merge(HttpClient client, Guid into, Guid merged, string reason) =>
        client.PostAsJsonAsync($"/api/residents/{into:D}/merge", new MergeResidentsRequest(merged, reason));

    private static async Task AssertField(HttpResponseMessage response, string field)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _), field);
        }
    }
}
