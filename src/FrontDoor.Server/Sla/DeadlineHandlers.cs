using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Administering;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Infrastructure.Telemetry;

namespace FrontDoor.Server.Sla;

/// <summary>
/// A referral past its due time becomes overdue. A deadline that finds the referral not yet due by this node's clock
/// (it fired early, or a clock disagrees) looks again at the due time instead of being lost.
/// </summary>
public static class ReferralDeadlineHandler
{
    public static async Task<object[]> Handle(ReferralDeadline deadline, StoreConnection store, TimeProvider time, FrontDoorMetrics metrics, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changed = await Deadlines.ActAsync(
            store,
            StreamKinds.Referral,
            deadline.ReferralId,
            referral => ReferralDecider.Decide(referral, new MarkReferralOverdue(deadline.ReferralId, Deadlines.Actor), now),
            cancellationToken).ConfigureAwait(false);
        var referral = changed.State;
        if (changed.Decided.OfType<ReferralOverdue>().Any())
        {
            metrics.ReferralOverdue(referral.Service ?? "unknown");
        }

        return Deadlines.AgainAt(deadline, referral is { IsFinished: false, IsOverdue: false } ? referral.DueAt : null, now);
    }
}

/// <summary>A scheduled check-back whose day has come becomes due (shown on the front door's queue).</summary>
public static class CheckBackDeadlineHandler
{
    public static async Task<object[]> Handle(CheckBackDeadline deadline, StoreConnection store, TimeProvider time, PolicyStore policies, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changed = await Deadlines.ActAsync(
            store,
            StreamKinds.Contact,
            deadline.ContactId,
            contact => ContactDecider.Decide(contact, new MarkFollowUpDue(deadline.ContactId, Deadlines.Actor), now, policies.Current),
            cancellationToken).ConfigureAwait(false);
        var contact = changed.State;
        return Deadlines.AgainAt(deadline, contact is { FollowUp: FollowUpStates.Scheduled } && contact.Status != ContactStatus.FollowUpDue ? contact.FollowUpDueAt : null, now);
    }
}

/// <summary>
/// Follow up with each person: a contact still with its referrals after the configured working days, and no
/// check-back planned, gets one now rather than waiting for the last referral to finish. Early (a clock ahead of this
/// node's), it looks again on the day.
/// </summary>
public static class CheckBackAfterWaitingHandler
{
    public static async Task<object[]> Handle(CheckBackAfterWaiting waiting, StoreConnection store, TimeProvider time, PolicyStore policies, PolicyConfiguration settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? Owed(ContactState contact) => contact is { Status: ContactStatus.Routed, FollowUp: FollowUpStates.None, ReceivedAt: { } received }
            ? policies.Current.Sla.AddWorkingDays(received, settings.CheckBackAfterWorkingDays)
            : null;
        var changed = await Deadlines.ActAsync(
            store,
            StreamKinds.Contact,
            waiting.ContactId,
            contact => Owed(contact) is { } owed && owed <= now
                ? ContactDecider.Decide(contact, new ScheduleFollowUp(waiting.ContactId, now, FollowUpReasons.CheckBackAfterDays, Deadlines.Actor), now, policies.Current)
                : [],
            cancellationToken).ConfigureAwait(false);
        return Deadlines.AgainAt(waiting, Owed(changed.State), now);
    }
}
