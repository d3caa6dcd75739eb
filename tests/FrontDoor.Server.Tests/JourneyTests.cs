using System.Net;
using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Testing;
using Microsoft.AspNetCore.Mvc;

namespace FrontDoor.Server.Tests;

/// <summary>A resident's contact from the front door to the services and back, on each store.</summary>
public sealed class JourneyTests
{
    public static TheoryData<string> Backends => FrontDoorApp.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_phone_contact_about_homelessness_and_debt_is_referred_to_housing_and_poverty_support(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);

        var contactId = await api.RecordAsync(Api.Contact("phone", ["homelessness", "money-and-debt"], "Eviction notice for next week and rent arrears."));
        await app.CaughtUpAsync();

        var contact = await api.ContactAsync(contactId);
        Assert.Equal("routed", contact.Status);
        Assert.True(contact.HasOwner);
        Assert.Equal(2, contact.Referrals.Count);
        var housing = Assert.Single(contact.Referrals, r => r.Service == "housing");
        Assert.Equal("urgent", housing.Priority);
        var poverty = Assert.Single(contact.Referrals, r => r.Service == "poverty-support");
        Assert.Equal("standard", poverty.Priority);
        Assert.Equal(contact.ReceivedAt.AddHours(24), housing.DueAt, TimeSpan.FromSeconds(1));
        Assert.True(poverty.DueAt > contact.ReceivedAt.AddDays(5));

        var housingQueue = await api.QueueAsync("housing");
        Assert.Equal(housing.ReferralId, Assert.Single(housingQueue.Items).ReferralId);
        Assert.Equal(poverty.ReferralId, Assert.Single((await api.QueueAsync("poverty-support")).Items).ReferralId);
        Assert.Empty((await api.QueueAsync("adult-social-care")).Items);
        Assert.Contains(contact.History, h => h.Type == "referral-raised.v1" && h.ReferralId == housing.ReferralId);

        var referral = await api.ReferralAsync(housing.ReferralId);
        Assert.Equal(contactId, referral.ContactId);
        Assert.Equal("need:homelessness", referral.Rule);
        var clock = Assert.Single(referral.StatutoryClocks);
        Assert.Equal(referral.RaisedAt.AddDays(56), clock.Deadline);
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Safeguarding_is_immediate_and_jumps_the_queue(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);

        await api.RecordAsync(Api.Contact("web", ["family-support"], "Parent asking for help with routines."));
        var urgent = await api.RecordAsync(Api.Contact("phone", ["child-safeguarding"], "Neighbour reports bruises on a child."));
        await app.CaughtUpAsync();

        var queue = await api.QueueAsync("early-help");
        Assert.Equal(2, queue.Items.Count);
        var first = queue.Items[0];
        Assert.Equal(urgent, first.ContactId);
        Assert.Equal("immediate", first.Priority);
        Assert.True(first.Safeguarding);
        Assert.False(queue.Items[1].Safeguarding);

        // A screen that asks for the top of the queue gets the safeguarding referral alone.
        var top = (await api.Worker("early-help").GetFromJsonAsync<QueueResponse>("/api/queues/early-help?limit=1"))!;
        Assert.Equal(urgent, Assert.Single(top.Items).ContactId);
        var contact = await api.ContactAsync(urgent);
        Assert.True(contact.Safeguarding);
        Assert.Equal(contact.ReceivedAt.AddHours(1), contact.Referrals[0].DueAt, TimeSpan.FromSeconds(1));
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Several_needs_for_one_service_make_one_referral_at_the_highest_priority(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);

        var contactId = await api.RecordAsync(Api.Contact("phone", ["care-and-support", "adult-safeguarding", "carer-support"]));
        await app.CaughtUpAsync();

        var referral = Assert.Single((await api.ContactAsync(contactId)).Referrals);
        Assert.Equal("adult-social-care", referral.Service);
        Assert.Equal("immediate", referral.Priority);
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_returned_referral_reaches_the_suggested_service_or_the_front_door(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Question about a tenancy."));
        await app.CaughtUpAsync();
        var housing = Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;

        await api.ActOkAsync(housing, "claim");
        await api.ActOkAsync(housing, "return", new ReturnReferralRequest("This is about debt, not housing.", "poverty-support"));
        await app.CaughtUpAsync();

        var contact = await api.ContactAsync(contactId);
        Assert.Equal("returned", Assert.Single(contact.Referrals, r => r.ReferralId == housing).Status);
        var moved = Assert.Single(contact.Referrals, r => r.Status == "raised");
        Assert.Equal("poverty-support", moved.Service);
        var queued = Assert.Single((await api.QueueAsync("poverty-support")).Items);
        Assert.Equal(moved.ReferralId, queued.ReferralId);
        Assert.Empty((await api.QueueAsync("housing")).Items);
        var replacement = await api.ReferralAsync(moved.ReferralId);
        Assert.Equal(housing, replacement.PreviousReferralId);
        Assert.Equal("returned-from:housing", replacement.Rule);

        // Returned again with no suggestion: the front door takes it, never nobody.
        await api.ActOkAsync(moved.ReferralId, "return", new ReturnReferralRequest("Resident has already been helped by us last month.", null));
        await app.CaughtUpAsync();
        var triage = Assert.Single((await api.QueueAsync("front-door-triage")).Items);
        Assert.Equal(contactId, triage.ContactId);
        Assert.Equal(2, (await api.FiguresAsync()).ReturnedReferrals);
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_contact_with_no_needs_lands_in_front_door_triage(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);

        var contactId = await api.RecordAsync(Api.Contact("lets-talk", [], "Came in to talk; not sure what help they need yet.", siteId: "lets-talk-blacon"));
        await app.CaughtUpAsync();

        var contact = await api.ContactAsync(contactId);
        Assert.True(contact.HasOwner);
        var referral = Assert.Single(contact.Referrals);
        Assert.Equal("front-door-triage", referral.Service);
        Assert.Equal(referral.ReferralId, Assert.Single((await api.QueueAsync("front-door-triage")).Items).ReferralId);
        var figures = await api.FiguresAsync();
        Assert.Equal(1, Assert.Single(figures.ContactsTodayBySite).Count);
        Assert.Equal("lets-talk-blacon", figures.ContactsTodayBySite[0].Key);
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Isolation_is_signposted_to_the_community_directory_with_a_check_back(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);

        var contactId = await api.RecordAsync(Api.Contact("welcoming-space", ["isolation-and-wellbeing"], "Lonely since his wife died.", siteId: "welcoming-space-chester-library"));
        await app.CaughtUpAsync();

        var contact = await api.ContactAsync(contactId);
        Assert.Empty(contact.Referrals);
        Assert.NotEmpty(contact.Signposts);
        Assert.Equal("scheduled", contact.FollowUp.State);
        Assert.Contains((await api.QueueAsync("front-door-triage")).Items, i => i.Kind == "follow-up" && i.ContactId == contactId);
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_follow_up_appears_when_referrals_complete_and_the_contact_closes_after_it(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["homelessness", "food-and-fuel"], "Sleeping rough, skipping meals."));
        await app.CaughtUpAsync();
        var referrals = (await api.ContactAsync(contactId)).Referrals;

        await api.WorkThroughAsync(referrals[0].ReferralId, "Emergency accommodation arranged.");
        await app.CaughtUpAsync();
        Assert.Equal("none", (await api.ContactAsync(contactId)).FollowUp.State);

        await api.WorkThroughAsync(referrals[1].ReferralId, "Food bank voucher issued.");
        await app.CaughtUpAsync();
        var contact = await api.ContactAsync(contactId);
        Assert.Equal("scheduled", contact.FollowUp.State);
        Assert.Equal("all-referrals-completed", contact.FollowUp.Reason);
        Assert.All(contact.Referrals, r => Assert.Equal("completed", r.Status));
        var checkBack = Assert.Single((await api.QueueAsync("front-door-triage")).Items);
        Assert.Equal("follow-up", checkBack.Kind);
        Assert.Equal(contactId, checkBack.ContactId);

        using var done = await api.Client.PostAsJsonAsync($"/api/contacts/{contactId:D}/follow-up", new CompleteFollowUpRequest(true, "Settled in and eating properly."));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        await app.CaughtUpAsync();
        contact = await api.ContactAsync(contactId);
        Assert.Equal("closed", contact.Status);
        Assert.Equal("done", contact.FollowUp.State);
        Assert.Empty((await api.QueueAsync("front-door-triage")).Items);
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_resident_not_helped_at_follow_up_goes_back_to_triage(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"]));
        await app.CaughtUpAsync();
        await api.WorkThroughAsync(Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId);
        await app.CaughtUpAsync();

        using var notHelped = await api.Client.PostAsJsonAsync($"/api/contacts/{contactId:D}/follow-up", new CompleteFollowUpRequest(false, "Still has bailiffs calling."));
        Assert.Equal(HttpStatusCode.OK, notHelped.StatusCode);
        await app.CaughtUpAsync();

        var contact = await api.ContactAsync(contactId);
        Assert.Equal("reopened", contact.Status);
        Assert.Contains(contact.Referrals, r => r.Service == "front-door-triage" && r.Status == "raised");
        Assert.Contains((await api.QueueAsync("front-door-triage")).Items, i => i.Kind == "referral" && i.ContactId == contactId);
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_retried_request_with_the_same_idempotency_key_returns_the_same_contact(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var request = Api.Contact("web", ["food-and-fuel"], "No gas or electric on the meter.");

        var first = await api.RecordAsync(request, idempotencyKey: "form-submission-17");
        var retried = await api.RecordAsync(request, idempotencyKey: "form-submission-17");
        var other = await api.RecordAsync(request, idempotencyKey: "form-submission-18");
        await app.CaughtUpAsync();

        Assert.Equal(first, retried);
        Assert.NotEqual(first, other);
        Assert.Equal(2, (await api.QueueAsync("poverty-support")).Items.Count);
        Assert.Equal(2, (await api.FiguresAsync()).ContactsToday);
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Tell_us_once_finds_the_resident_with_earlier_contacts_and_open_referrals(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var mary = new ResidentDetails("Mary O'Brien", "1984-02-09", "CH65 2AB", "01244 000000", null);

        var byPhone = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], resident: mary));
        var atLetsTalk = await api.RecordAsync(Api.Contact("lets-talk", ["carer-support"], siteId: "lets-talk-winsford", resident: mary with { Name = "mary  obrien", Postcode = "ch652ab" }));
        await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: new ResidentDetails("Mark Evans", "1970-05-01", "CH1 1AA", null, null)));
        await app.CaughtUpAsync();

        var found = await api.SearchAsync(name: "mary", dateOfBirth: "1984-02-09");
        var resident = Assert.Single(found!.Residents);
        Assert.Equal(2, resident.ContactCount);
        Assert.Equal([atLetsTalk, byPhone], resident.Contacts.Select(c => c.ContactId));
        Assert.Equal(["adult-social-care", "poverty-support"], resident.OpenReferrals.Select(r => r.Service).Order());
        Assert.Equal(resident.ResidentId, (await api.ContactAsync(byPhone)).ResidentId);

        var byPostcode = await api.SearchAsync(postcode: "CH65");
        Assert.Equal(resident.ResidentId, Assert.Single(byPostcode!.Residents).ResidentId);
        using var tooVague = await api.PostSearchAsync(name: "m");
        Assert.Equal(HttpStatusCode.BadRequest, tooVague.StatusCode);
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_manager_reassigns_work_to_another_team_keeping_its_due_time(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Asking about a child's school place."));
        await app.CaughtUpAsync();
        var referral = await api.ReferralAsync(Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId);

        using var byWorker = await api.Worker("housing").PostAsJsonAsync($"/api/referrals/{referral.ReferralId:D}/reassign", new { service = "early-help" });
        Assert.Equal(HttpStatusCode.Forbidden, byWorker.StatusCode);

        using var moved = await api.Manager.PostAsJsonAsync($"/api/referrals/{referral.ReferralId:D}/reassign", new { service = "early-help" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        await app.CaughtUpAsync();

        Assert.Empty((await api.QueueAsync("housing")).Items);
        var queued = Assert.Single((await api.QueueAsync("early-help")).Items);
        Assert.Equal(referral.ReferralId, queued.ReferralId);
        Assert.Equal(referral.DueAt, queued.DueAt, TimeSpan.FromMilliseconds(1));
        Assert.Contains((await api.ContactAsync(contactId)).History, h => h.Type == "referral-reassigned.v1");
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_referral_past_its_due_time_becomes_overdue(string backend)
    {
        // An immediate referral is due five seconds after it is raised: its deadline is a message scheduled for then
        // (long enough that a loaded machine still reads it before it is due).
        await using var app = await FrontDoorApp.StartAsync(backend, new Dictionary<string, string?> { ["FrontDoor:ImmediateTarget"] = "00:00:05" });
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["adult-safeguarding"], "Carer reports unexplained bruises."));
        await app.CaughtUpAsync();
        var referralId = Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;
        var referral = await api.ReferralAsync(referralId);
        Assert.False(referral.Overdue);

        await Eventually.True(async () => (await api.ReferralAsync(referralId)).Overdue, "the referral's deadline marks it overdue");
        await app.CaughtUpAsync();

        Assert.True(Assert.Single((await api.QueueAsync("adult-social-care")).Items).Overdue);
        Assert.Equal(1, (await api.FiguresAsync()).OverdueReferrals);
        var overdue = Assert.Single((await api.ContactAsync(contactId)).History, h => h.Type == "referral-overdue.v1");
        Assert.Equal("system:sla-clock", overdue.Actor);
        Assert.True(overdue.At >= referral.DueAt, $"marked overdue at {overdue.At:O}, before its due time {referral.DueAt:O}");
        await app.SettledAsync();
    }
}
