using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Domain.Residents;
using FrontDoor.Domain.Routing;
using FrontDoor.Server.Administering;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Messaging;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Infrastructure.Telemetry;

namespace FrontDoor.Server.Routing;

/// <summary>
/// An event the router acts on, named by its place in its stream: the message carries ids only (never the event's
/// personal fields), and the handler reads the event as the log holds it.
/// </summary>
public sealed record RouteCause(string StreamId, long Version);

/// <summary>
/// Routes each cause in one transaction: everything the router appends, to however many streams, commits together
/// with the reactions to it, or not at all (and the message is tried again).
/// </summary>
public static class RouteCauseHandler
{
    public static async Task Handle(RouteCause cause, StoreConnection store, ContactRouter router, CancellationToken cancellationToken)
    {
        var uow = await store.BeginUnitOfWorkAsync(cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            // A cause on a contact is routed by writing to that contact: fetched for writing once, here, it serves
            // both (the unit of work hands the router the same fetch).
            var stream = StreamName.CategoryOf(cause.StreamId) == "contact"
                ? (await uow.FetchForWritingAsync(cause.StreamId, StreamKinds.Contact.Initial, cancellationToken).ConfigureAwait(false)).Recorded
                : await uow.ReadStreamAsync(cause.StreamId, cancellationToken).ConfigureAwait(false);
            var recorded = stream.FirstOrDefault(e => e.StreamVersion == cause.Version)
                ?? throw new InvalidOperationException($"No event {cause.Version} in stream {cause.StreamId}: a cause is only sent once its append has committed.");
            // Inside Wolverine's span for the message, which continues the trace of the append that recorded it.
            using (var activity = TelemetryRegistration.Source.StartActivity("router.route"))
            {
                activity?.SetTag("frontdoor.event.type", recorded.Type);
                activity?.SetTag("frontdoor.correlation_id", recorded.Metadata.CorrelationId);
                await router.HandleAsync(recorded, uow, cancellationToken).ConfigureAwait(false);
                await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>
/// The front door's process manager: turns assessed needs into referrals and signposts, puts returned work
/// somewhere (never nowhere), tells the contact when its referrals finish, and links contacts to residents.
/// <para>
/// Delivery is at least once and in no promised order, so every step decides from the streams as they stand, not
/// from what arrived before: its event ids and referral ids are derived from the event it reacts to, and each step
/// first checks whether it already happened, so handing it an event again, or late, changes nothing twice.
/// </para>
/// </summary>
public sealed class ContactRouter
{
    public const string Actor = "system:router";

    /// <summary>The causes the router acts on, recorded as messages in the transaction of the append that holds them.</summary>
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<ContactRouter>();
        services.AddReaction<ContactReceived, RouteCause>((_, received, appended) => received.ResidentId is not null || received.ClaimedResidentId is not null ? Cause(appended) : null);
        services.AddReaction<ContactResidentConfirmed, RouteCause>((_, _, appended) => Cause(appended));
        services.AddReaction<NeedsAssessed, RouteCause>((_, _, appended) => Cause(appended));
        services.AddReaction<QueuedForTriage, RouteCause>((_, _, appended) => Cause(appended));
        services.AddReaction<ReferralReturned, RouteCause>((_, _, appended) => Cause(appended));
        services.AddReaction<ReferralCompleted, RouteCause>((_, _, appended) => Cause(appended));
        return services;
    }

    private static Reaction Cause(AppendedEvent appended) => Reaction.Now(new RouteCause(appended.StreamId, appended.Version));

    private readonly PolicyStore _policies;

    private readonly FrontDoorMetrics _metrics;

    public ContactRouter(PolicyStore policies, FrontDoorMetrics metrics)
    {
        _policies = policies;
        _metrics = metrics;
    }

    public async Task HandleAsync(RecordedEvent recordedEvent, IStoreUnitOfWork uow, CancellationToken cancellationToken)
    {
        switch (DomainEventSerializer.Deserialize(recordedEvent))
        {
            case ContactReceived received:
                if (received.ResidentId is { } residentId)
                {
                    // The answer about sharing is taken per referral, as each is raised (RaiseAsync).
                    await LinkResidentAsync(recordedEvent, uow, residentId, received.ContactId, received.Channel, cancellationToken).ConfigureAwait(false);
                }

                if (received.ClaimedResidentId is { } claimed)
                {
                    await SuggestResidentAsync(recordedEvent, uow, received.ContactId, claimed, cancellationToken).ConfigureAwait(false);
                }

                break;
            case ContactResidentConfirmed confirmed:
                var contact = await LoadContactAsync(uow, confirmed.ContactId, cancellationToken).ConfigureAwait(false);
                var linked = await LinkResidentAsync(recordedEvent, uow, confirmed.ResidentId, confirmed.ContactId, contact.State.Channel ?? ChannelCodes.Web, cancellationToken).ConfigureAwait(false);

                // What the resident told staff covers the teams the contact was already referred to; the referrals
                // raised from here on take it as they are raised. Only with the link, so a redelivery answers nothing twice.
                if (linked.Decided.Count > 0)
                {
                    await AnswerForReferredServicesAsync(recordedEvent, uow, contact.State, contact.State.ReferredServices, cancellationToken).ConfigureAwait(false);
                }

                break;
            case NeedsAssessed assessed:
                await RouteNeedsAsync(recordedEvent, uow, assessed, cancellationToken).ConfigureAwait(false);
                break;
            case QueuedForTriage queued:
                await QueueForTriageAsync(recordedEvent, uow, queued, cancellationToken).ConfigureAwait(false);
                break;
            case ReferralReturned returned:
                await RouteReturnedAsync(recordedEvent, uow, returned, cancellationToken).ConfigureAwait(false);
                break;
            case ReferralCompleted completed:
                // Every contact the referral served is told, the one it was raised for and those that joined it.
                var done = await LoadAsync(uow, StreamKinds.Referral, completed.ReferralId, cancellationToken).ConfigureAwait(false);
                foreach (var served in done.State.AttachedContactIds.Prepend(completed.ContactId))
                {
                    await TellContactAsync(recordedEvent, uow, served, new RecordReferralCompleted(served, completed.ReferralId, Actor), cancellationToken).ConfigureAwait(false);
                }

                break;
        }
    }

    private static Task<Changed<ResidentState>> LinkResidentAsync(RecordedEvent cause, IStoreUnitOfWork uow, Guid residentId, Guid contactId, string channel, CancellationToken cancellationToken) =>
        ReactOnResidentAsync(uow, residentId, cause, resident =>
        {
            if (!resident.Exists)
            {
                // Registration happens before the contact is recorded; a contact naming an unknown resident is left
                // unlinked rather than inventing a resident record.
                return [];
            }

            // Nothing when already linked (a redelivery) or erased.
            return ResidentDecider.Decide(resident, new LinkContact(residentId, contactId, channel, Actor), cause.Timestamp);
        }, cancellationToken);

    /// <summary>
    /// The contact's answer to "may we share your details with the teams we refer you to" applied to exactly
    /// <paramref name="services"/>, the teams it was referred to — never to a service the contact did not go to. The
    /// answer keeps the time it was given, so one arriving after a newer answer about the same service changes
    /// nothing (<see cref="ResidentDecider"/>).
    /// </summary>
    private static async Task AnswerForReferredServicesAsync(RecordedEvent cause, IStoreUnitOfWork uow, ContactState contact, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        if (contact.SharingAnswer is not { } answer || !services.Any(Vocabulary.ReferralServices.Contains))
        {
            return;
        }

        await ReactOnResidentAsync(uow, answer.ResidentId, cause, resident => resident.Exists
            ? ResidentDecider.Decide(resident, new AnswerForReferredServices(answer.ResidentId, contact.ContactId, services, answer.Agreed, answer.Method, Actor), answer.At)
            : [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the claimed record exists is looked up here, behind the public form's answer, so that answer costs the
    /// same whether or not the council knows the person. A record erased since is followed to the person's new one.
    /// </summary>
    private async Task SuggestResidentAsync(RecordedEvent cause, IStoreUnitOfWork uow, Guid contactId, Guid claimedResidentId, CancellationToken cancellationToken)
    {
        var residentId = claimedResidentId;
        var resident = await LoadAsync(uow, StreamKinds.Resident, residentId, cancellationToken).ConfigureAwait(false);
        while (resident.State.Erased || resident.State.MergedInto is not null)
        {
            residentId = resident.State.Erased ? ResidentIdentity.AfterErasure(residentId) : resident.State.MergedInto!.Value;
            resident = await LoadAsync(uow, StreamKinds.Resident, residentId, cancellationToken).ConfigureAwait(false);
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

        // Routed already: what a cause tells its contact is appended with everything else it decided, in one
        // transaction, so a contact told by this cause means all of it committed (a joined referral included, which
        // a redelivery after that referral finished could no longer find open).
        if (contact.Recorded.Any(e => e.Metadata.CausationId == cause.EventId.ToString("D") && e.Metadata.Actor == Actor))
        {
            return;
        }

        var decision = RoutingPolicy.Route(_policies.Current.Routing, assessed.Needs, _policies.Current.Sla, cause.Timestamp);

        // A re-assessment adds what is new; a service that already holds an open referral for this contact keeps it.
        var open = contact.State.OpenReferrals.Select(r => r.Service).ToHashSet(StringComparer.Ordinal);
        var told = new List<ContactCommand>();
        var raised = new List<string>();
        var toRoute = decision.Referrals.Where(p => !open.Contains(p.Service)).ToList();

        // Two contacts of one resident routed at once: the second waits here until the first has committed, and then
        // finds the referral the first raised (the read models commit with it) and joins it, instead of both raising one.
        if (toRoute.Count > 0 && contact.State.ResidentOfRecord is { } person)
        {
            await uow.LockStreamAsync(StreamKinds.Resident.StreamOf(person), cancellationToken).ConfigureAwait(false);
        }

        var residentsOpen = await ResidentsOpenReferralsAsync(uow, contact.State, toRoute.Select(p => p.Service), cancellationToken).ConfigureAwait(false);
        foreach (var planned in toRoute)
        {
            // Tell us once: the resident's open referral at the service takes this contact too.
            if (residentsOpen.TryGetValue(planned.Service, out var openReferralId)
                && await JoinOpenReferralAsync(uow, cause, contact.State, planned, openReferralId, cancellationToken).ConfigureAwait(false) is { } joined)
            {
                raised.Add(planned.Service);
                told.Add(new RecordReferral(assessed.ContactId, joined.ReferralId, joined.Service!, joined.Priority!, joined.DueAt!.Value, Actor, Joined: true));
                continue;
            }

            var referralId = RoutingPolicy.ReferralIdFor(assessed.ContactId, planned.Service, cause.EventId.ToString("D"));
            if (await RaiseAsync(uow, cause, referralId, contact.State, planned, previousReferralId: null, cancellationToken).ConfigureAwait(false))
            {
                raised.Add(planned.Service);
            }

            told.Add(new RecordReferral(assessed.ContactId, referralId, planned.Service, planned.Priority, planned.DueAt, Actor));
        }

        // One answer for every team this cause referred the contact to: one write of the resident, not one per referral.
        await AnswerForReferredServicesAsync(cause, uow, contact.State, raised, cancellationToken).ConfigureAwait(false);

        // Signposts come after referrals: signposting a contact with no open work schedules its check-back.
        var entries = _policies.Current.Directory.ForNeeds(decision.SignpostNeeds).Select(s => s.Id).ToList();
        if (entries.Count > 0)
        {
            told.Add(new Signpost(assessed.ContactId, entries, Actor));
        }

        await TellContactAsync(cause, uow, contact, told, cancellationToken).ConfigureAwait(false);
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
        // The front door's own triage is not a team consent covers: nothing to answer.
        await RaiseAsync(uow, cause, referralId, contact.State, planned, previousReferralId: null, cancellationToken).ConfigureAwait(false);
        await TellContactAsync(cause, uow, contact, [new RecordReferral(queued.ContactId, referralId, planned.Service, planned.Priority, planned.DueAt, Actor)], cancellationToken).ConfigureAwait(false);
    }

    private async Task RouteReturnedAsync(RecordedEvent cause, IStoreUnitOfWork uow, ReferralReturned returned, CancellationToken cancellationToken)
    {
        var referral = await LoadAsync(uow, StreamKinds.Referral, returned.ReferralId, cancellationToken).ConfigureAwait(false);
        var planned = RoutingPolicy.RouteReturned(
            returned.Service,
            returned.SuggestedService,
            referral.State.Priority ?? PriorityCodes.Standard,
            referral.State.Needs,
            _policies.Current.Sla,
            cause.Timestamp);
        var replacementId = RoutingPolicy.ReferralIdFor(returned.ContactId, planned.Service, cause.EventId.ToString("D"));
        var contact = await LoadContactAsync(uow, returned.ContactId, cancellationToken).ConfigureAwait(false);

        // The contacts that had joined the returned referral go with its replacement: none is left without an owner.
        var joined = referral.State.AttachedContactIds;
        if (await RaiseAsync(uow, cause, replacementId, contact.State, planned, returned.ReferralId, cancellationToken, joined).ConfigureAwait(false))
        {
            await AnswerForReferredServicesAsync(cause, uow, contact.State, [planned.Service], cancellationToken).ConfigureAwait(false);
        }

        var replacement = new ReplacementReferral(replacementId, planned.Service, planned.Priority, planned.DueAt);
        await TellContactAsync(cause, uow, contact, [new RecordReferralReturned(returned.ContactId, returned.ReferralId, Actor, replacement)], cancellationToken).ConfigureAwait(false);
        foreach (var other in joined)
        {
            await TellContactAsync(cause, uow, other, new RecordReferralReturned(other, returned.ReferralId, Actor, replacement), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The resident's open referral at each of <paramref name="services"/> raised for an earlier contact (the oldest
    /// where there are several), in one round trip; empty when the contact has no resident of record.
    /// </summary>
    /// <remarks>Found in the read models, which commit with the log, under the resident's lock (see <see cref="RouteNeedsAsync"/>).</remarks>
    private static async Task<Dictionary<string, Guid>> ResidentsOpenReferralsAsync(IStoreUnitOfWork uow, ContactState contact, IEnumerable<string> services, CancellationToken cancellationToken)
    {
        var wanted = services.ToArray();
        if (contact.ResidentOfRecord is not { } residentId || wanted.Length == 0)
        {
            return [];
        }

        var found = await Sql.QueryAsync(
            uow.Connection,
            uow.Transaction,
            """
            SELECT DISTINCT ON (r.service) r.service, r.referral_id
            FROM rm_referrals r JOIN rm_contacts c ON c.contact_id = r.contact_id
            WHERE (c.resident_id = @resident OR c.resident_id IN (SELECT m.resident_id FROM rm_residents m WHERE m.merged_into = @resident))
              AND r.service = ANY(@services) AND r.status IN ('raised', 'claimed', 'accepted') AND r.contact_id <> @contact
            ORDER BY r.service, r.raised_at_ms, r.referral_id
            """,
            r => (Service: r.GetString(0), ReferralId: Guid.Parse(r.GetString(1))),
            cancellationToken,
            ("resident", residentId.ToString("D")),
            ("services", wanted),
            ("contact", contact.ContactId.ToString("D"))).ConfigureAwait(false);
        return found.ToDictionary(f => f.Service, f => f.ReferralId, StringComparer.Ordinal);
    }

    /// <summary>
    /// The resident's open referral joined by this contact — or null, and the contact gets a referral of its own:
    /// when the referral finished meanwhile, or when this contact's need is more urgent than it (a more urgent need
    /// is raised on its own, so it jumps the queue rather than waiting at the old priority).
    /// </summary>
    private static async Task<ReferralState?> JoinOpenReferralAsync(IStoreUnitOfWork uow, RecordedEvent cause, ContactState contact, PlannedReferral planned, Guid referralId, CancellationToken cancellationToken)
    {
        var joined = await ReactAsync(uow, StreamKinds.Referral, referralId, cause, referral =>
            referral.Exists && PriorityCodes.Rank(planned.Priority) <= PriorityCodes.Rank(referral.Priority)
                ? ReferralDecider.Decide(referral, new AttachContact(referralId, contact.ContactId, planned.Needs, Actor), cause.Timestamp)
                : [], cancellationToken).ConfigureAwait(false);
        return joined.State.AttachedContactIds.Contains(contact.ContactId) && !joined.State.IsFinished ? joined.State : null;
    }

    /// <summary>
    /// Raises a referral naming the contact's resident — an id, not personal data — so what staff later write on it
    /// can be sealed under the right key. The resident is fixed when the contact is received, so a redelivered cause
    /// decides the same event again. True when the referral was raised now: the contact's answer about sharing goes
    /// with a referral raised now, so a redelivery answers nothing twice.
    /// </summary>
    private async Task<bool> RaiseAsync(IStoreUnitOfWork uow, RecordedEvent cause, Guid referralId, ContactState contact, PlannedReferral planned, Guid? previousReferralId, CancellationToken cancellationToken, IReadOnlyList<Guid>? attachedContactIds = null)
    {
        var raised = await ReactAsync(uow, StreamKinds.Referral, referralId, cause, referral => referral.Exists
            ? []
            : ReferralDecider.Decide(
                referral,
                new RaiseReferral(referralId, contact.ContactId, contact.ResidentId, planned.Service, planned.Priority, planned.DueAt, planned.Rule, planned.Needs, previousReferralId, Actor, attachedContactIds),
                cause.Timestamp), cancellationToken).ConfigureAwait(false);
        if (raised.Decided.Count == 0)
        {
            return false;
        }

        _metrics.ReferralRaised(planned.Service, planned.Priority);
        return true;
    }

    private async Task<Changed<ContactState>> TellContactAsync(RecordedEvent cause, IStoreUnitOfWork uow, Guid contactId, ContactCommand command, CancellationToken cancellationToken) =>
        await TellContactAsync(cause, uow, await LoadContactAsync(uow, contactId, cancellationToken).ConfigureAwait(false), [command], cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// What the contact is told by one cause, decided in order on the contact as it was read (each on the state the
    /// one before left) and appended at once: one read and one write of the contact however many referrals it got.
    /// Nothing else writes the contact while a cause is handled, so the version read is the one appended at.
    /// </summary>
    private Task<Changed<ContactState>> TellContactAsync(RecordedEvent cause, IStoreUnitOfWork uow, StreamWrite<ContactState> contact, IReadOnlyList<ContactCommand> commands, CancellationToken cancellationToken)
    {
        var state = contact.State;
        var decided = new List<object>();
        foreach (var command in commands)
        {
            if (!state.Exists || state.IsClosed)
            {
                break;
            }

            var events = ContactDecider.Decide(state, command, cause.Timestamp, _policies.Current);
            state = ContactDecider.Fold(state, events);
            decided.AddRange(events);
        }

        return StreamChange.AppendAsync(uow, StreamKinds.Contact, contact, decided, d => Task.FromResult(Caused(d, cause, StreamIds.Contact(state.ContactId), contact.Version)), cancellationToken);
    }

    /// <summary>The contact fetched for writing in the cause's unit of work: what the cause decides for it is appended to it later.</summary>
    private static Task<StreamWrite<ContactState>> LoadContactAsync(IStoreUnitOfWork uow, Guid contactId, CancellationToken cancellationToken) =>
        StreamChange.FetchAsync(uow, StreamKinds.Contact, contactId, cancellationToken);

    private static Task<Loaded<TState>> LoadAsync<TState>(IStoreUnitOfWork uow, StreamKind<TState> kind, Guid id, CancellationToken cancellationToken) =>
        Streams.LoadAsync(uow, kind.StreamOf(id), kind.Initial, kind.Evolve, cancellationToken);

    private static Task<Changed<TState>> ReactAsync<TState>(IStoreUnitOfWork uow, StreamKind<TState> kind, Guid id, RecordedEvent cause, Func<TState, IReadOnlyList<object>> decide, CancellationToken cancellationToken) =>
        StreamChange.ReactAsync(uow, kind, id, decide, (decided, stream, version) => Caused(decided, cause, stream, version), cancellationToken);

    /// <summary>
    /// A contact's causes are handled at once (its receipt links the resident while its needs are routed and answer
    /// for sharing), and both write the resident: the second waits for the first's lock and decides on what it wrote,
    /// where deciding on the same version would refuse one append and run its whole cause again. Every cause writes
    /// the resident before the contact, so the two locks are always taken in one order.
    /// </summary>
    private static async Task<Changed<ResidentState>> ReactOnResidentAsync(IStoreUnitOfWork uow, Guid residentId, RecordedEvent cause, Func<ResidentState, IReadOnlyList<object>> decide, CancellationToken cancellationToken)
    {
        await uow.LockStreamAsync(StreamKinds.Resident.StreamOf(residentId), cancellationToken).ConfigureAwait(false);
        return await ReactAsync(uow, StreamKinds.Resident, residentId, cause, decide, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ids derive from the cause and the stream's version, so two different decisions for one cause on one stream
    /// never collide, and the same decision on the same state repeats exactly (the log recognises the retry).
    /// </summary>
    private static EventData[] Caused(IReadOnlyList<object> decided, RecordedEvent cause, string stream, long version) =>
        Streams.Caused(decided, cause, $"{stream}@{version}", Actor);
}
