using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Server.Routing;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// "Tell us once" behind the front door: a resident who gets in touch again about something a team is already
/// working on joins that team's open referral; no second, parallel referral lands in the queue.
/// </summary>
public sealed class JoinOpenReferralTests
{
    private static readonly ResidentDetails Kay = new("Kay Doyle", "1969-07-30", "CH3 5RT", "07700 900654", null);

    [Fact]
    public async Task Bug_18_a_second_contact_about_a_service_the_resident_already_has_open_joins_that_referral_and_both_are_told_when_it_is_done()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var first = await api.RecordAsync(Api.Contact("phone", ["homelessness"], resident: Kay));
        await app.CaughtUpAsync();
        var referral = Assert.Single((await api.ContactAsync(first)).Referrals);
        await api.ActOkAsync(referral.ReferralId, "claim");

        var second = await api.RecordAsync(Api.Contact("lets-talk", ["housing-advice"], "Came in to ask how the housing case is going.", siteId: "lets-talk-lache", resident: Kay));
        await app.CaughtUpAsync();

        // One referral in the housing queue, which the second contact joined; the contact is owned by it.
        Assert.Equal([referral.ReferralId], (await api.QueueAsync("housing")).Items.Select(i => i.ReferralId));
        var joined = await api.ContactAsync(second);
        var link = Assert.Single(joined.Referrals);
        Assert.Equal((referral.ReferralId, true, "claimed"), (link.ReferralId, link.Joined, link.Status));
        Assert.True(joined.HasOwner);
        Assert.Contains(joined.History, h => h.Description.StartsWith("Added to the resident's open housing referral", StringComparison.Ordinal));
        var shared = await api.ReferralAsync(referral.ReferralId);
        Assert.Equal([second], shared.AttachedContactIds!);
        Assert.Contains("housing-advice", shared.Needs);
        Assert.False((await api.ContactAsync(first)).Referrals.Single().Joined);

        // Done once, for both: each contact waits for its check-back with the resident.
        await api.WorkThroughAsync(referral.ReferralId);
        await app.CaughtUpAsync();
        foreach (var contactId in new[] { first, second })
        {
            var contact = await api.ContactAsync(contactId);
            Assert.Equal("completed", Assert.Single(contact.Referrals).Status);
            Assert.Equal("scheduled", contact.FollowUp.State);
        }

        // The second contact's routing handed over again, after the referral it joined was done: nothing new.
        var head = await app.Store.ReadHeadPositionAsync();
        var assessed = (await app.Store.ReadStreamAsync(StreamIds.Contact(second))).Single(e => e.Type == "contact-needs-assessed.v1");
        await app.HandleNowAsync(new RouteCause(assessed.StreamId, assessed.StreamVersion));
        Assert.Equal(head, await app.Store.ReadHeadPositionAsync());
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_18_contacts_of_one_resident_routed_at_the_same_moment_raise_one_referral_that_the_others_join()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);

        // The resident's record exists first, so every contact below is routed for the same person.
        await api.RecordAsync(Api.Contact("phone", ["isolation-and-wellbeing"], "Asked about the lunch club.", resident: Kay));
        await app.CaughtUpAsync();

        var contacts = await Task.WhenAll(Enumerable.Range(1, 6).Select(i =>
            api.RecordAsync(Api.Contact("phone", ["money-and-debt"], $"Rang about the council tax arrears, call {i}.", resident: Kay))));
        await app.CaughtUpAsync();

        var raised = Assert.Single((await api.QueueAsync("poverty-support")).Items);
        var referrals = new List<(Guid ReferralId, bool Joined)>();
        foreach (var contactId in contacts)
        {
            var link = Assert.Single((await api.ContactAsync(contactId)).Referrals);
            referrals.Add((link.ReferralId, link.Joined));
        }

        Assert.All(referrals, r => Assert.Equal(raised.ReferralId, r.ReferralId));
        Assert.Equal(contacts.Length - 1, referrals.Count(r => r.Joined));
        Assert.Equal(contacts.Length - 1, (await api.ReferralAsync(raised.ReferralId!.Value)).AttachedContactIds!.Count);
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_returned_referral_takes_the_contacts_that_joined_it_to_its_replacement()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var first = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], resident: Kay));
        await app.CaughtUpAsync();
        var referral = Assert.Single((await api.ContactAsync(first)).Referrals);
        var second = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], "Rang again about the council tax letter.", resident: Kay));
        await app.CaughtUpAsync();
        Assert.True(Assert.Single((await api.ContactAsync(second)).Referrals).Joined);

        await api.ActOkAsync(referral.ReferralId, "claim");
        await api.ActOkAsync(referral.ReferralId, "return", new ReturnReferralRequest("The debt is rent arrears: housing's", "housing"));
        await app.CaughtUpAsync();

        var replacement = Assert.Single((await api.ContactAsync(first)).Referrals, r => r.Status == "raised");
        Assert.Equal("housing", replacement.Service);
        Assert.Equal([second], (await api.ReferralAsync(replacement.ReferralId)).AttachedContactIds!);
        var secondNow = await api.ContactAsync(second);
        Assert.Contains(secondNow.Referrals, r => r.ReferralId == replacement.ReferralId && r.Status == "raised");
        Assert.True(secondNow.HasOwner);

        await api.WorkThroughAsync(replacement.ReferralId);
        await app.CaughtUpAsync();
        Assert.Equal("scheduled", (await api.ContactAsync(second)).FollowUp.State);
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_more_urgent_need_is_raised_on_its_own_rather_than_waiting_at_the_open_referrals_priority()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Kay));
        await app.CaughtUpAsync();

        var urgent = await api.RecordAsync(Api.Contact("phone", ["homelessness"], "The bailiffs are coming on Friday.", resident: Kay));
        await app.CaughtUpAsync();

        var own = Assert.Single((await api.ContactAsync(urgent)).Referrals);
        Assert.Equal(("urgent", false), (own.Priority, own.Joined));
        Assert.Equal(2, (await api.QueueAsync("housing")).Items.Count);
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_contact_without_a_resident_never_joins_anyone_elses_referral()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Kay));
        var anonymous = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Caller would not give a name."));
        await app.CaughtUpAsync();

        Assert.False(Assert.Single((await api.ContactAsync(anonymous)).Referrals).Joined);
        Assert.Equal(2, (await api.QueueAsync("housing")).Items.Count);
        using var manager = await app.ClientAsAsync("manager");
        Assert.NotNull(await manager.GetFromJsonAsync<ContactResponse>($"/api/contacts/{anonymous:D}"));
        await app.SettledAsync();
    }
}
