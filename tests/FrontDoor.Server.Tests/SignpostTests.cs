using System.Net;
using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain.Catalogue;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>A signpost is what the resident needs to hear: who runs it, how to reach them and when — not an id.</summary>
public sealed class SignpostTests
{
    [Fact]
    public async Task Bug_18_a_signpost_says_who_to_ring_and_when_from_the_directory_as_it_stands()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("welcoming-space", ["isolation-and-wellbeing"], "Lonely since his wife died.", siteId: "welcoming-space-chester-library"));
        await app.CaughtUpAsync();

        using var first = await api.Client.GetAsync($"/api/contacts/{contactId:D}");
        var contact = (await first.Content.ReadFromJsonAsync<ContactResponse>())!;
        Assert.Equal(contact.Signposts, contact.SignpostDetails!.Select(s => s.Id));
        foreach (var signpost in contact.SignpostDetails!)
        {
            var listed = CommunityDirectory.Default.Find(signpost.Id)!;
            Assert.Equal((true, listed.Name, listed.Organization.Name, listed.ContactPhone, listed.OpeningTimes), (signpost.InDirectory, signpost.Name, signpost.Organization, signpost.Phone, signpost.OpeningTimes));
            Assert.NotNull(signpost.OpeningTimes);
        }

        // The council changes the directory: the contact says what it says now, and is a new representation.
        var kept = CommunityDirectory.Default.Find(contact.Signposts[0])!;
        var changed = new DirectoryServiceView(kept.Id, kept.Name, kept.Description, kept.Url?.ToString(), kept.Email, kept.Status, new DirectoryOrganizationView(kept.Organization.Id, kept.Organization.Name), kept.ServiceAreas, kept.Taxonomies, "01632 960999", kept.Needs, "Saturdays, 10am to noon");
        using (var put = await api.Admin.PutAsJsonAsync("/api/admin/directory", new { services = new[] { changed } }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/contacts/{contactId:D}");
        again.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());
        using var second = await api.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var details = (await second.Content.ReadFromJsonAsync<ContactResponse>())!.SignpostDetails!;
        Assert.Equal(("01632 960999", "Saturdays, 10am to noon"), (details[0].Phone, details[0].OpeningTimes));
        Assert.All(details.Skip(1), d => Assert.Equal((false, null), (d.InDirectory, d.Name)));
        await app.SettledAsync();
    }
}
