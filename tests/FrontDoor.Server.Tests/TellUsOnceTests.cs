using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Contacts.ContactingTheCouncil;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// "Tell us once" at the front of house: the agent says who a returning resident is, or finds them by the reference
/// they were given, and the contact joins that resident's record whatever was typed this time.
/// </summary>
public sealed class TellUsOnceTests
{
    private static readonly ResidentDetails Mo = new("Morag Bell", "1958-11-20", "CH1 4DE", "07700 900321", null);

    [Fact]
    public async Task Bug_18_a_returning_caller_the_agent_chooses_is_linked_to_their_record_without_a_postcode()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var first = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Mo));
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(first)).ResidentId!.Value;

        // Name and date of birth only, as the caller gave them this time: on its own that is a record of its own.
        var fewerDetails = Mo with { Postcode = null, Phone = null };
        var unchosen = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], resident: fewerDetails));
        var chosen = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], resident: fewerDetails) with { ResidentId = residentId });
        await app.CaughtUpAsync();

        Assert.NotEqual(residentId, (await api.ContactAsync(unchosen)).ResidentId);
        Assert.Equal(residentId, (await api.ContactAsync(chosen)).ResidentId);
        var known = Assert.Single((await api.SearchAsync(dateOfBirth: "1958-11-20", postcode: "CH1")).Residents);
        Assert.Equal((residentId, 2), (known.ResidentId, known.ContactCount));
        Assert.Contains(known.Contacts, c => c.ContactId == chosen);
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_contact_for_a_resident_not_on_record_or_erased_is_refused_naming_residentId_and_nothing_is_stored()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var first = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Mo));
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(first)).ResidentId!.Value;
        using (var erased = await api.Manager.PostAsJsonAsync($"/api/residents/{residentId:D}/erasure", new EraseResidentRequest("request", "SAR-1")))
        {
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        }

        await app.CaughtUpAsync();
        var head = await app.Store.ReadHeadPositionAsync();
        foreach (var id in new[] { Guid.NewGuid(), residentId, Guid.Empty })
        {
            using var response = await api.PostRecordAsync(Api.Contact("phone", ["money-and-debt"]) with { ResidentId = id });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty("residentId", out _), problem.ToString());
        }

        Assert.Equal(head, await app.Store.ReadHeadPositionAsync());
        await app.SettledAsync();
    }

    [Fact]
    public async Task The_reference_a_resident_was_given_on_the_form_finds_their_record()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        using var sent = await api.Anonymous.PostAsJsonAsync("/api/public/contacts", new PublicContactRequest("Our boiler broke and we can't pay for it.", new ResidentDetails("Ivo Kerr", null, null, null, "ivo@example.org"), true));
        var reference = (await sent.Content.ReadFromJsonAsync<PublicContactResponse>())!.Reference;
        await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Mo));
        await app.CaughtUpAsync();

        foreach (var typed in new[] { reference, reference.ToLowerInvariant(), " " + reference + " " })
        {
            using var response = await api.Client.PostAsJsonAsync("/api/residents/search", new ResidentSearchRequest(null, null, null, typed));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var found = Assert.Single((await response.Content.ReadFromJsonAsync<ResidentSearchResponse>())!.Residents);
            Assert.Equal("Ivo Kerr", found.Name);
            Assert.Equal(reference, ContactReference.Of(Assert.Single(found.Contacts).ContactId));
        }

        // Another contact's reference finds nobody else; a reference that is not one is refused, naming the field.
        using (var none = await api.Client.PostAsJsonAsync("/api/residents/search", new ResidentSearchRequest(null, null, null, reference == "00000000" ? "00000001" : "00000000")))
        {
            Assert.Empty((await none.Content.ReadFromJsonAsync<ResidentSearchResponse>())!.Residents);
        }

        foreach (var wrong in new[] { "3F9A12B", "3F9A12BCD", "ZZZZZZZZ", "3F9A%2BC" })
        {
            using var refused = await api.Client.PostAsJsonAsync("/api/residents/search", new ResidentSearchRequest(null, null, null, wrong));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("\"reference\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await app.SettledAsync();
    }
}
