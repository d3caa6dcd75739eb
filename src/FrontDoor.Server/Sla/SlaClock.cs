using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Administering;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Infrastructure.Subscriptions;
using FrontDoor.Server.Infrastructure.Telemetry;

namespace FrontDoor.Server.Sla;

/// <summary>
/// The clock that makes time an event: referrals past their due time become overdue, check-backs whose day has
/// come become due, and contacts left with their referrals too long get a check-back. Its timers are the read
/// models' due times, so a restart loses nothing; it runs on one node at a time (a lease like a subscription's),
/// and each event it appends has an id derived from the stream and version it acts on, so a repeat is a no-op.
/// </summary>
public sealed partial class SlaClock : LeasedSweep
{
    public const string ClockLease = "sla-clock";
    public const string Actor = "system:sla-clock";

    private readonly PolicyStore _policies;
    private readonly PolicyConfiguration _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<SlaClock> _logger;
    private readonly FrontDoorMetrics _metrics;

    public SlaClock(StoreConnection store, PolicyStore policies, PolicyConfiguration settings, TimeProvider time, ILogger<SlaClock> logger, FrontDoorMetrics metrics)
        : base(store, logger)
    {
        _policies = policies;
        _settings = settings;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    protected override string LeaseName => ClockLease;

    protected override TimeSpan Interval => _settings.ClockInterval;

    public override async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        List<string> overdue;
        List<string> followUpsDue;
        List<(string Id, long ReceivedAt)> waiting;
        var connection = await Store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            overdue = await Sql.QueryAsync(
                connection,
                null,
                "SELECT referral_id FROM rm_referrals WHERE overdue = 0 AND status IN ('raised', 'claimed', 'accepted') AND due_at_ms <= @now",
                r => r.GetString(0),
                cancellationToken,
                ("now", now.ToUnixMs())).ConfigureAwait(false);
            followUpsDue = await Sql.QueryAsync(
                connection,
                null,
                "SELECT contact_id FROM rm_contacts WHERE follow_up_state = 'scheduled' AND follow_up_marked_due = 0 AND follow_up_due_at_ms <= @now",
                r => r.GetString(0),
                cancellationToken,
                ("now", now.ToUnixMs())).ConfigureAwait(false);

            // Calendar days are a cheap first cut; working days are checked exactly below.
            waiting = await Sql.QueryAsync(
                connection,
                null,
                "SELECT contact_id, received_at_ms FROM rm_contacts WHERE follow_up_state = 'none' AND status = 'routed' AND received_at_ms <= @cutoff",
                r => (r.GetString(0), r.GetInt64(1)),
                cancellationToken,
                ("cutoff", (now - TimeSpan.FromDays(_settings.CheckBackAfterWorkingDays)).ToUnixMs())).ConfigureAwait(false);
        }

        foreach (var referralId in overdue)
        {
            await ActAsync(StreamKinds.Referral, Guid.Parse(referralId), s => ReferralDecider.Decide(s, new MarkReferralOverdue(Guid.Parse(referralId), Actor), now), cancellationToken).ConfigureAwait(false);
        }

        foreach (var contactId in followUpsDue)
        {
            var id = Guid.Parse(contactId);
            await ActAsync(StreamKinds.Contact, id, s => ContactDecider.Decide(s, new MarkFollowUpDue(id, Actor), now, _policies.Current), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (contactId, receivedAt) in waiting)
        {
            if (_policies.Current.Sla.AddWorkingDays(Sql.FromUnixMs(receivedAt), _settings.CheckBackAfterWorkingDays) > now)
            {
                continue;
            }

            var id = Guid.Parse(contactId);
            await ActAsync(
                StreamKinds.Contact,
                id,
                s => s.FollowUp == FollowUpStates.None ? ContactDecider.Decide(s, new ScheduleFollowUp(id, now, FollowUpReasons.CheckBackAfterDays, Actor), now, _policies.Current) : [],
                cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ActAsync<TState>(StreamKind<TState> kind, Guid id, Func<TState, IReadOnlyList<object>> decide, CancellationToken cancellationToken)
    {
        var stream = kind.StreamOf(id);
        try
        {
            var metadata = new EventMetadata(null, null, Actor);
            var changed = await StreamChange.ReactAsync(
                StreamLog.Of(Store.Events),
                kind,
                id,
                decide,
                (decided, _, version) => decided
                    .Select((e, i) => DomainEventSerializer.ToEventData(e, DeterministicId.From(LeaseName, stream, version.ToString(System.Globalization.CultureInfo.InvariantCulture), i.ToString(System.Globalization.CultureInfo.InvariantCulture)), metadata))
                    .ToArray(),
                cancellationToken).ConfigureAwait(false);
            if (changed.Decided.OfType<ReferralOverdue>().Any() && (object?)changed.State is ReferralState referral)
            {
                _metrics.ReferralOverdue(referral.Service ?? "unknown");
            }
        }
        catch (Exception ex) when (ex is WrongExpectedVersionException or DomainException)
        {
            // Someone acted on the record meanwhile; the next sweep looks at it afresh.
            LogSkipped(_logger, stream, ex.Message);
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "SLA clock left {Stream} for the next sweep: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string stream, string reason);
}
