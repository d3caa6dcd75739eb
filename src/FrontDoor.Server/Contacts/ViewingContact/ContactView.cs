using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Events;

namespace FrontDoor.Server.Contacts.ViewingContact;

/// <summary>
/// A contact as the agent sees it, built straight from the log: its own stream and each of its referrals'. No read
/// model lag — a contact recorded a moment ago is there at once, with whatever routing has done so far.
/// </summary>
public sealed record ContactView(ContactResponse Response, long Version, long Position)
{
    /// <summary>Strong validator: the contact's version and the newest position behind everything shown.</summary>
    public string ETag => $"\"{Version}.{Position}\"";

    public static async Task<ContactView?> LoadAsync(IEventStore store, Guid contactId, CancellationToken cancellationToken)
    {
        var contact = await Streams.LoadAsync(store, StreamIds.Contact(contactId), ContactState.Initial, ContactDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (!contact.State.Exists)
        {
            return null;
        }

        var state = contact.State;
        var referralIds = state.OpenReferrals.Select(r => r.ReferralId)
            .Concat(state.CompletedReferralIds)
            .Concat(state.ClosedReferralIds)
            .Distinct()
            .ToList();

        var referrals = new List<(ReferralState State, IReadOnlyList<RecordedEvent> Recorded)>();
        foreach (var referralId in referralIds)
        {
            var referral = await Streams.LoadAsync(store, StreamIds.Referral(referralId), ReferralState.Initial, ReferralDecider.Evolve, cancellationToken).ConfigureAwait(false);
            if (referral.State.Exists)
            {
                referrals.Add((referral.State, referral.Recorded));
            }
        }

        var history = contact.Recorded.Concat(referrals.SelectMany(r => r.Recorded))
            .OrderBy(e => e.Position)
            .Select(e => (Recorded: e, Event: DomainEventSerializer.Deserialize(e)))
            .Where(x => x.Event is not null)
            .Select(x => History.Describe(x.Recorded, x.Event!))
            .ToList();
        var position = contact.Recorded.Concat(referrals.SelectMany(r => r.Recorded)).Max(e => e.Position);

        var response = new ContactResponse(
            state.ContactId,
            state.Channel!,
            state.SiteId,
            state.Status,
            state.ResidentId,
            state.Summary!,
            state.ConsentToShare,
            state.Safeguarding || state.Needs.Any(Vocabulary.IsSafeguarding),
            state.Needs,
            referrals
                .OrderBy(r => r.State.RaisedAt)
                .Select(r => new ContactReferralView(r.State.ReferralId, r.State.Service!, r.State.Priority!, r.State.Status, r.State.DueAt!.Value, r.State.IsOverdue, r.State.Outcome))
                .ToList(),
            state.Signposts,
            new FollowUpView(
                state.Status == ContactStatus.FollowUpDue ? "due" : state.FollowUp,
                state.FollowUpDueAt,
                state.FollowUpReason,
                state.LastFollowUpHelped),
            state.HasOwner,
            state.ReceivedAt!.Value,
            history);
        return new ContactView(response, contact.Version, position);
    }
}
