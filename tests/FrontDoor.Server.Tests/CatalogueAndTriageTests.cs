using System.Net;
using System.Net.Http.Json;
using FrontDoor.Contracts;

using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

public sealed class CatalogueAndTriageTests
{
    [Fact]
    public async Task Sites_list_the_five_lets_talk_sites_and_the_welcoming_spaces()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var client = await app.ClientAsAsync("agent");

        var sites = (await client.GetFromJsonAsync<SitesResponse>("/api/sites"))!.Sites;

        Assert.Equal(5, sites.Count(s => s.Kind == "lets-talk"));
        Assert.Contains(sites, s => s.Kind == "lets-talk" && s.Town == "Ellesmere Port");
        Assert.Contains(sites, s => s.Kind == "lets-talk" && s.Town == "Winsford");
        Assert.True(sites.Count(s => s.Kind == "welcoming-space") >= 3);
        Assert.Equal(sites.Count, sites.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public async Task The_directory_uses_open_referral_fields_and_filters_by_need()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var client = await app.ClientAsAsync("agent");

        var all = (await client.GetFromJsonAsync<DirectoryResponse>("/api/directory"))!.Services;
        var lonely = (await client.GetFromJsonAsync<DirectoryResponse>("/api/directory?need=isolation-and-wellbeing"))!.Services;

        Assert.Contains(all, s => s.Name.Contains("Citizens Advice", StringComparison.Ordinal));
        Assert.Contains(all, s => s.Name.Contains("Men in Sheds", StringComparison.Ordinal));
        Assert.NotEmpty(lonely);
        Assert.True(lonely.Count < all.Count);
        Assert.All(lonely, s => Assert.Contains("isolation-and-wellbeing", s.Needs));
        Assert.All(all, s => Assert.False(string.IsNullOrWhiteSpace(s.Organization.Name)));
    }

    [Theory]
    [MemberData(nameof(FrontDoorApp.Backends), MemberType = typeof(FrontDoorApp))]
    public async Task A_check_back_falls_due_on_its_day_and_shows_in_the_front_door_queue(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["isolation-and-wellbeing"], "Lonely, would like company."));
        await app.CaughtUpAsync();
        var item = Assert.Single((await api.QueueAsync("front-door-triage")).Items);
        Assert.Equal("scheduled", item.Status);
        Assert.Equal(0, (await api.FiguresAsync()).FollowUpsDue);

        // The check-back's day is a message scheduled for it; days later, it is handled as it would be on that day.
        var dueAt = (await api.ContactAsync(contactId)).FollowUp.DueAt!.Value;
        var deadline = Assert.Single(await app.ScheduledMessagesAsync(), m => m.MessageType.Contains(nameof(Sla.CheckBackDeadline), StringComparison.Ordinal));
        Assert.Equal(dueAt, deadline.DueAt, TimeSpan.FromMilliseconds(1));

        // Early, it changes nothing (and looks again on the day).
        await app.HandleNowAsync(new Sla.CheckBackDeadline(contactId));
        Assert.Equal("scheduled", (await api.ContactAsync(contactId)).FollowUp.State);

        app.Clock.Advance(TimeSpan.FromDays(8));
        await app.HandleNowAsync(new Sla.CheckBackDeadline(contactId));
        await app.HandleNowAsync(new Sla.CheckBackDeadline(contactId));
        await app.CaughtUpAsync();

        var contact = await api.ContactAsync(contactId);
        Assert.Equal("due", contact.FollowUp.State);
        Assert.Single(contact.History, h => h.Type == "contact-follow-up-due.v1");
        Assert.Equal("due", Assert.Single((await api.QueueAsync("front-door-triage")).Items).Status);
        Assert.Equal(1, (await api.FiguresAsync()).FollowUpsDue);
        await app.SettledAsync();
    }
}
