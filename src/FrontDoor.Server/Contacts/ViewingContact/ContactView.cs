using System.Collections.Immutable;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Catalogue;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Contacts.ViewingContact;

/// <summary>
/// A contact as the agent sees it, built straight from the log: its own stream and each of its referrals'. No read
/// model lag — a contact recorded a moment ago is there at once, with whatever routing has done so far.
/// </summary>
public sealed record ContactView(ContactResponse Response, long Version, long Position, IReadOnlySet<string> ConsentedServices)
{
    /// <summary>Strong validator: the contact's version and the newest position behind everything shown.</summary>
    public string ETag => $"\"{Version}.{Position}\"";

    /// <summary>Services holding (or having held) a referral for this contact.</summary>
    public IEnumerable<string> Services => Response.Referrals.Select(r => r.Service);

    /// <summary>
    /// What a worker of <paramref name="service"/> may see: their own service's referrals and their history, the
    /// contact's own record, and the resident's details only where the resident's current consent covers the
    /// service. A safeguarding concern is the exception: sharing to protect someone from harm does not wait on
    /// consent (Care Act 2014 s.42; Working Together to Safeguard Children).
    /// </summary>
    public ContactResponse ForService(string service)
    {
        var theirs = Response.Referrals.Where(r => r.Service == service).Select(r => r.ReferralId).ToHashSet();
        return Response with
        {
            Resident = ConsentedServices.Contains(service) || Response.Safeguarding ? Response.Resident : null,
            Referrals = Response.Referrals.Where(r => theirs.Contains(r.ReferralId)).ToList(),
            History = Response.History.Where(h => h.ReferralId is null || theirs.Contains(h.ReferralId.Value)).ToList(),
        };
    }

    /// <summary>With <paramref name="staff"/>, the history says who acted by name (else by actor id, for residents' own views).</summary>
    public static async Task<ContactView?> LoadAsync(IEventLog store, PersonalDataVault vault, Guid contactId, CancellationToken cancellationToken, IStaffDirectory? staff = null)
    {
        var contact = await Streams.LoadOpenedAsync(store, vault, StreamIds.Contact(contactId), ContactState.Initial, ContactDecider.Evolve, cancellationToken).ConfigureAwait(false);
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
            // Opened: outcomes and return reasons are sealed under the contact's data subject, like the summary.
            var referral = await Streams.LoadOpenedAsync(store, vault, StreamIds.Referral(referralId), ReferralState.Initial, ReferralDecider.Evolve, cancellationToken).ConfigureAwait(false);
            if (referral.State.Exists)
            {
                referrals.Add((referral.State, referral.Recorded));
            }
        }

        ResidentView? resident = null;
        IReadOnlySet<string> consented = ImmutableHashSet<string>.Empty;
        if (state.ResidentId is { } residentId)
        {
            var loaded = await Streams.LoadOpenedAsync(store, vault, StreamIds.Resident(residentId), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
            if (loaded.State.Exists)
            {
                resident = Describe(loaded.State);
                consented = loaded.State.ConsentedServices;

                // Merged into another record: what the person agrees to share is kept there now.
                if (loaded.State.MergedInto is { } into)
                {
                    var holder = await Streams.LoadAsync(store, StreamIds.Resident(into), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
                    consented = holder.State.Exists ? holder.State.ConsentedServices : ImmutableHashSet<string>.Empty;
                }
            }
        }

        // Once staff confirmed whose contact it is, what that resident told them governs who sees the details.
        if (state.ConfirmedResidentId is { } confirmedId)
        {
            var confirmed = await Streams.LoadAsync(store, StreamIds.Resident(confirmedId), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
            consented = confirmed.State.Exists ? confirmed.State.ConsentedServices : ImmutableHashSet<string>.Empty;
        }

        var events = contact.Recorded.Concat(referrals.SelectMany(r => r.Recorded))
            .OrderBy(e => e.Position)
            .Select(e => (Recorded: e, Event: DomainEventSerializer.Deserialize(e)))
            .Where(x => x.Event is not null)
            .ToList();
        var names = staff is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await staff.NamesAsync(events.SelectMany(x => History.People(x.Recorded, x.Event!)), cancellationToken).ConfigureAwait(false);
        var history = events.Select(x => History.Describe(x.Recorded, x.Event!, names)).ToList();
        var position = contact.Recorded.Concat(referrals.SelectMany(r => r.Recorded)).Max(e => e.Position);

        var response = new ContactResponse(
            state.ContactId,
            state.Channel!,
            state.SiteId,
            state.Status,
            state.ResidentId,
            resident,
            state.Summary ?? string.Empty,
            state.ConsentToShare,
            state.Safeguarding || state.Needs.Any(Vocabulary.IsSafeguarding),
            state.Needs,
            referrals
                .OrderBy(r => r.State.RaisedAt)
                .Select(r => new ContactReferralView(r.State.ReferralId, r.State.Service!, r.State.Priority!, r.State.Status, r.State.DueAt!.Value, r.State.IsOverdue, r.State.Outcome, r.State.ContactId != state.ContactId))
                .ToList(),
            state.Signposts,
            new FollowUpView(
                state.Status == ContactStatus.FollowUpDue ? "due" : state.FollowUp,
                state.FollowUpDueAt,
                state.FollowUpReason,
                state.LastFollowUpHelped),
            state.HasOwner,
            state.ReceivedAt!.Value,
            history,
            SummaryErased: state.Summary is null,
            SuggestedResidentId: state.ConfirmedResidentId is null ? state.SuggestedResidentId : null,
            ConfirmedResidentId: state.ConfirmedResidentId);
        return new ContactView(response, contact.Version, position, consented);
    }

    /// <summary>The contact's signposts as the directory describes them now: what the agent reads out to the resident.</summary>
    public static ContactResponse WithSignpostDetails(ContactResponse response, CommunityDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(directory);
        return response with
        {
            SignpostDetails = response.Signposts.Select(id => directory.Find(id) is { } service
                ? new SignpostView(id, true, service.Name, service.Organization.Name, service.Description, service.ContactPhone, service.Url?.ToString(), service.Email, service.OpeningTimes)
                : new SignpostView(id, false, null, null, null, null, null, null, null)).ToList(),
        };
    }

    public static ResidentView Describe(ResidentState resident) =>
        resident.Erased
            ? new ResidentView(null, null, null, null, null, Erased: true)
            : new ResidentView(resident.Name, resident.DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), resident.Postcode, resident.Phone, resident.Email);
}
