using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Domain.Residents;
using FrontDoor.Domain.Routing;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Administering;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Telemetry;

namespace FrontDoor.Server.Routing;

/// <summary>
/// The front door's process manager: turns assessed needs into referrals and signposts, puts returned work
/// somewhere (never nowhere), tells the contact when its referrals finish, and links contacts to residents.
/// <para>
/// Everything it writes goes through the subscription's unit of work, so its events commit with its checkpoint;
/// its event ids and referral ids are derived from the event it reacts to, and each step first checks whether it
/// already happened, so handing it an event again changes nothing.
/// </para>
/// </summary>
public sealed class ContactRouter : ISubscriptionHandler
{
    public const string Name = "front-door-router";
    public const string Actor = "system:router";

    private readonly PolicyStore _policies;

    private readonly FrontDoorMetrics _metrics;

    public ContactRouter(PolicyStore policies, FrontDoorMetrics metrics)
    {
        _policies = policies;
        _metrics = metrics;
    }

    public async ValueTask HandleAsync(RecordedEvent recordedEvent, SubscriptionContext context, CancellationToken cancellationToken)
    {
        switch (DomainEventSerializer.Deserialize(recordedEvent))
        {
            case ContactReceived received:
                if (received.ResidentId is { } residentId)
                {
                    await LinkResidentAsync(recordedEvent, context.UnitOfWork, residentId, received.ContactId, received.Channel, ConsentAnswered(residentId, received), cancellationToken).ConfigureAwait(false);
                }

                if (received.ClaimedResidentId is { } claimed)
                {
                    await SuggestResidentAsync(recordedEvent, context.UnitOfWork, received.ContactId, claimed, cancellationToken).ConfigureAwait(false);
                }

                break;
            case ContactResidentConfirmed confirmed:
                var contact = await LoadContactAsync(context.UnitOfWork, confirmed.ContactId, cancellationToken).ConfigureAwait(false);
                await LinkResidentAsync(recordedEvent, context.UnitOfWork, confirmed.ResidentId, confirmed.ContactId, contact.State.Channel ?? ChannelCodes.Web, ConsentConfirmed(confirmed), cancellationToken).ConfigureAwait(false);
                break;
            case NeedsAssessed assessed:
                await RouteNeedsAsync(recordedEvent, context.UnitOfWork, assessed, cancellationToken).ConfigureAwait(false);
                break;
            case QueuedForTriage queued:
                await QueueForTriageAsync(recordedEvent, context.UnitOfWork, queued, cancellationToken).ConfigureAwait(false);
                break;
            case ReferralReturned returned:
                await RouteReturnedAsync(recordedEvent, context.UnitOfWork, returned, cancellationToken).ConfigureAwait(false);
                break;
            case ReferralCompleted completed:
                await TellContactAsync(
                    recordedEvent,
                    context.UnitOfWork,
                    completed.ContactId,
                    new RecordReferralCompleted(completed.ContactId, completed.ReferralId, Actor),
                    cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private static async Task LinkResidentAsync(RecordedEvent cause, IStoreUnitOfWork uow, Guid residentId, Guid contactId, string channel, ResidentCommand consent, CancellationToken cancellationToken)
    {
        var stream = StreamIds.Resident(residentId);
        var resident = await Streams.LoadAsync(uow, stream, ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (!resident.State.Exists)
        {
            // Registration happens before the contact is recorded; a contact naming an unknown resident is left
            // unlinked rather than inventing a resident record.
            return;
        }

        var linking = ResidentDecider.Decide(resident.State, new LinkContact(residentId, contactId, channel, Actor), cause.Timestamp);
        if (linking.Count == 0)
        {
            // Already linked (a redelivery), or the resident is erased: either way this contact's consent answer has
            // been applied, or must not be.
            return;
        }

        var linked = ResidentDecider.Fold(resident.State, linking);
        var consenting = ResidentDecider.Decide(linked, consent, cause.Timestamp);
        await AppendAsync(uow, stream, resident.Version, [.. linking, .. consenting], cause, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The contact's consent question is the resident's current answer for the council's services: yes gives
    /// consent, no withdraws any held. Given on the phone or in person it is spoken; on the web, a web form — and a
    /// web form's answer only ever reaches the record of that contact's own, since the form proves no identity.
    /// </summary>
    private static ResidentCommand ConsentAnswered(Guid residentId, ContactReceived received)
    {
        var method = received.Channel == ChannelCodes.Web ? ConsentMethods.WebForm : ConsentMethods.Spoken;
        return received.ConsentToShare
            ? new GiveConsent(residentId, Vocabulary.ReferralServices, [], method, received.ContactId, received.Actor)
            : new WithdrawConsent(residentId, Vocabulary.ReferralServices, [], method, received.ContactId, received.Actor);
    }

    /// <summary>What the confirming member of staff heard from the resident, in their name.</summary>
    private static ResidentCommand ConsentConfirmed(ContactResidentConfirmed confirmed) =>
        confirmed.ConsentToShare
            ? new GiveConsent(confirmed.ResidentId, Vocabulary.ReferralServices, [], ConsentMethods.Spoken, confirmed.ContactId, confirmed.Actor)
            : new WithdrawConsent(confirmed.ResidentId, Vocabulary.ReferralServices, [], ConsentMethods.Spoken, confirmed.ContactId, confirmed.Actor);

    /// <summary>
    /// Whether the claimed record exists is looked up here, behind the public form's answer, so that answer costs the
    /// same whether or not the council knows the person. A record erased since is followed to the person's new one.
    /// </summary>
    private async Task SuggestResidentAsync(RecordedEvent cause, IStoreUnitOfWork uow, Guid contactId, Guid claimedResidentId, CancellationToken cancellationToken)
    {
        var residentId = claimedResidentId;
        var resident = await Streams.LoadAsync(uow, StreamIds.Resident(residentId), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
        while (resident.State.Erased)
        {
            residentId = ResidentIdentity.AfterErasure(residentId);
            resident = await Streams.LoadAsync(uow, StreamIds.Resident(residentId), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
        }

        if (resident.State.Exists)
        {
            await TellContactAsync(cause, uow, contactId, new SuggestResident(contactId, residentId, Actor), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RouteNeedsAsync(RecordedEvent cause, IStoreUnitOfWork uow, NeedsAssessed assessed, CancellationToken cancellationToken)
    {
        var contact = await LoadContactAsync(uow, assessed.ContactId, cancellationToken).ConfigureAwait(false);
        if (!contact.State.Exists || contact.State.IsClosed)
        {
            return;
        }

        var decision = RoutingPolicy.Route(_policies.Current.Routing, assessed.Needs, _policies.Current.Sla, cause.Timestamp);

        // A re-assessment adds what is new; a service that already holds an open referral for this contact keeps it.
        var open = contact.State.OpenReferrals.Select(r => r.Service).ToHashSet(StringComparer.Ordinal);
        foreach (var planned in decision.Referrals.Where(p => !open.Contains(p.Service)))
        {
            var referralId = RoutingPolicy.ReferralIdFor(assessed.ContactId, planned.Service, cause.EventId.ToString("D"));
            await RaiseAsync(uow, cause, referralId, assessed.ContactId, contact.State.ResidentId, planned, previousReferralId: null, cancellationToken).ConfigureAwait(false);
            await TellContactAsync(
                cause,
                uow,
                assessed.ContactId,
                new RecordReferral(assessed.ContactId, referralId, planned.Service, planned.Priority, planned.DueAt, Actor),
                cancellationToken).ConfigureAwait(false);
        }

        // Signposts come after referrals: signposting a contact with no open work schedules its check-back.
        var entries = _policies.Current.Directory.ForNeeds(decision.SignpostNeeds).Select(s => s.Id).ToList();
        if (entries.Count > 0)
        {
            await TellContactAsync(cause, uow, assessed.ContactId, new Signpost(assessed.ContactId, entries, Actor), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task QueueForTriageAsync(RecordedEvent cause, IStoreUnitOfWork uow, QueuedForTriage queued, CancellationToken cancellationToken)
    {
        var contact = await LoadContactAsync(uow, queued.ContactId, cancellationToken).ConfigureAwait(false);
        if (!contact.State.Exists || contact.State.IsClosed || contact.State.OpenReferrals.Exists(r => r.Service == ServiceCodes.FrontDoorTriage))
        {
            return;
        }

        var planned = new PlannedReferral(
            ServiceCodes.FrontDoorTriage,
            PriorityCodes.Standard,
            _policies.Current.Sla.DueAt(PriorityCodes.Standard, cause.Timestamp),
            contact.State.Needs,
            "queued:" + queued.Reason);
        var referralId = RoutingPolicy.ReferralIdFor(queued.ContactId, planned.Service, cause.EventId.ToString("D"));
        await RaiseAsync(uow, cause, referralId, queued.ContactId, contact.State.ResidentId, planned, previousReferralId: null, cancellationToken).ConfigureAwait(false);
        await TellContactAsync(
            cause,
            uow,
            queued.ContactId,
            new RecordReferral(queued.ContactId, referralId, planned.Service, planned.Priority, planned.DueAt, Actor),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task RouteReturnedAsync(RecordedEvent cause, IStoreUnitOfWork uow, ReferralReturned returned, CancellationToken cancellationToken)
    {
        var referral = await Streams.LoadAsync(uow, StreamIds.Referral(returned.ReferralId), ReferralState.Initial, ReferralDecider.Evolve, cancellationToken).ConfigureAwait(false);
        var planned = RoutingPolicy.RouteReturned(
            returned.Service,
            returned.SuggestedService,
            referral.State.Priority ?? PriorityCodes.Standard,
            referral.State.Needs,
            _policies.Current.Sla,
            cause.Timestamp);
        var replacementId = RoutingPolicy.ReferralIdFor(returned.ContactId, planned.Service, cause.EventId.ToString("D"));
        await RaiseAsync(uow, cause, replacementId, returned.ContactId, referral.State.ResidentId, planned, returned.ReferralId, cancellationToken).ConfigureAwait(false);
        await TellContactAsync(
            cause,
            uow,
            returned.ContactId,
            new RecordReferralReturned(returned.ContactId, returned.ReferralId, Actor, new ReplacementReferral(replacementId, planned.Service, planned.Priority, planned.DueAt)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Raises a referral naming the contact's resident — an id, not personal data — so what staff later write on it
    /// can be sealed under the right key. The resident is fixed when the contact is received, so a redelivered cause
    /// decides the same event again.
    /// </summary>
    private async Task RaiseAsync(IStoreUnitOfWork uow, RecordedEvent cause, Guid referralId, Guid contactId, Guid? residentId, PlannedReferral planned, Guid? previousReferralId, CancellationToken cancellationToken)
    {
        var stream = StreamIds.Referral(referralId);
        var referral = await Streams.LoadAsync(uow, stream, ReferralState.Initial, ReferralDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (referral.State.Exists)
        {
            return;
        }

        var decided = ReferralDecider.Decide(
            referral.State,
            new RaiseReferral(referralId, contactId, residentId, planned.Service, planned.Priority, planned.DueAt, planned.Rule, planned.Needs, previousReferralId, Actor),
            cause.Timestamp);
        await AppendAsync(uow, stream, 0, decided, cause, cancellationToken).ConfigureAwait(false);
        _metrics.ReferralRaised(planned.Service, planned.Priority);
    }

    private async Task TellContactAsync(RecordedEvent cause, IStoreUnitOfWork uow, Guid contactId, ContactCommand command, CancellationToken cancellationToken)
    {
        var contact = await LoadContactAsync(uow, contactId, cancellationToken).ConfigureAwait(false);
        if (!contact.State.Exists || contact.State.IsClosed)
        {
            return;
        }

        var decided = ContactDecider.Decide(contact.State, command, cause.Timestamp, _policies.Current);
        await AppendAsync(uow, StreamIds.Contact(contactId), contact.Version, decided, cause, cancellationToken).ConfigureAwait(false);
    }

    private static Task<Loaded<ContactState>> LoadContactAsync(IStoreUnitOfWork uow, Guid contactId, CancellationToken cancellationToken) =>
        Streams.LoadAsync(uow, StreamIds.Contact(contactId), ContactState.Initial, ContactDecider.Evolve, cancellationToken);

    private static async Task AppendAsync(IStoreUnitOfWork uow, string stream, long version, IReadOnlyList<object> decided, RecordedEvent cause, CancellationToken cancellationToken)
    {
        if (decided.Count == 0)
        {
            return;
        }

        // Ids derive from the cause and the stream's version, so two different decisions for one cause on one
        // stream (say, two referrals recorded on the contact) never collide, and the same decision repeats exactly.
        var events = Streams.Caused(decided, cause, $"{stream}@{version}", Actor);
        await uow.AppendAsync(stream, ExpectedVersion.Exact(version), events, cancellationToken).ConfigureAwait(false);
    }
}
