using FrontDoor.Server.Administering;
using FrontDoor.Server.Sla;
using FrontDoor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDoor.Server.Tests;

/// <summary>Follow up with each person: a contact left with its referrals is owed a check-back after ten working days.</summary>
public sealed class DeadlineTests
{
    [Fact]
    public async Task A_contact_left_with_its_referrals_for_ten_working_days_is_owed_a_check_back_once()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], "Behind on council tax since losing hours."));
        await app.CaughtUpAsync();
        var contact = await api.ContactAsync(contactId);
        Assert.Equal("none", contact.FollowUp.State);

        // Scheduled for ten working days after the contact came in (the council's default), bank holidays skipped. The
        // history shows when the event was stored, a few milliseconds after the contact's own time.
        var receivedAt = contact.History.Single(h => h.Type == "contact-received.v1").At;
        var owed = app.Services.GetRequiredService<PolicyStore>().Current.Sla.AddWorkingDays(receivedAt, 10);
        var scheduled = Assert.Single(await app.ScheduledMessagesAsync(), m => m.MessageType.Contains(nameof(CheckBackAfterWaiting), StringComparison.Ordinal));
        Assert.Equal(owed, scheduled.DueAt, TimeSpan.FromSeconds(1));

        // Handled early, it plans nothing.
        await app.HandleNowAsync(new CheckBackAfterWaiting(contactId));
        Assert.Equal("none", (await api.ContactAsync(contactId)).FollowUp.State);

        // On the day, and again (at least once is the contract): one check-back.
        app.Clock.Advance(owed - app.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        await app.HandleNowAsync(new CheckBackAfterWaiting(contactId));
        await app.HandleNowAsync(new CheckBackAfterWaiting(contactId));
        await app.CaughtUpAsync();

        contact = await api.ContactAsync(contactId);
        Assert.Equal("scheduled", contact.FollowUp.State);
        Assert.Equal("check-back-after-days", contact.FollowUp.Reason);
        var planned = Assert.Single(contact.History, h => h.Type == "contact-follow-up-scheduled.v1");
        Assert.Equal("system:sla-clock", planned.Actor);
        Assert.Single((await api.QueueAsync("front-door-triage")).Items, i => i.ContactId == contactId);
        await app.SettledAsync();
    }
}
