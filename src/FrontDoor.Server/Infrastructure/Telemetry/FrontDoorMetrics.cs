using System.Diagnostics.Metrics;
using FrontDoor.Domain;
using FrontDoor.Server.Figures.ViewingFigures;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Health;
using FrontDoor.Server.Infrastructure.Messaging;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Infrastructure.Telemetry;

/// <summary>
/// What operators watch: flows as counters where they happen, states (queues, lag, owners) as gauges read when the
/// metrics are collected. Gauges that need the database are cached for a few seconds so a busy collector cannot load it.
/// Tags carry codes only (channel, site, service, priority) — never anything about a resident.
/// </summary>
public sealed class FrontDoorMetrics : IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly Meter _meter = new(TelemetryRegistration.ServiceSource);
    private readonly StoreConnection _store;
    private readonly Counter<long> _contacts;
    private readonly Counter<long> _referrals;
    private readonly Counter<long> _returns;
    private readonly Counter<long> _overdue;
    private readonly object _cacheLock = new();
    private Snapshot _cached = new([], 0, new MessageCounts(0, 0, 0), DateTimeOffset.MinValue);

    public FrontDoorMetrics(StoreConnection store, IDashboardConnections dashboards)
    {
        _store = store;
        _contacts = _meter.CreateCounter<long>("frontdoor.contacts.recorded", "{contact}", "Contacts recorded, by channel and site.");
        _referrals = _meter.CreateCounter<long>("frontdoor.referrals.raised", "{referral}", "Referrals raised, by service and priority.");
        _returns = _meter.CreateCounter<long>("frontdoor.referrals.returned", "{referral}", "Referrals handed back by a team, by service.");
        _overdue = _meter.CreateCounter<long>("frontdoor.referrals.overdue", "{referral}", "Referrals that passed their due time, by service.");
        _meter.CreateObservableGauge("frontdoor.queue.depth", () => Read().Queues.Select(q => new Measurement<long>(q.Depth, Tag("service", q.Service))), "{referral}", "Open referrals per service.");
        _meter.CreateObservableGauge("frontdoor.queue.oldest_waiting", () => Read().Queues.Select(q => new Measurement<double>(q.OldestWaitingSeconds, Tag("service", q.Service))), "s", "How long the oldest unclaimed referral has waited, per service.");
        _meter.CreateObservableGauge("frontdoor.contacts.without_owner", () => Read().WithoutOwner, "{contact}", "Open contacts nobody owns; the front door's promise is that this stays at zero.");
        _meter.CreateObservableGauge("frontdoor.messages.waiting", () => Read().Messages.Waiting, "{message}", "Reactions to the log stored and not yet handled: the backlog behind the appends.");
        _meter.CreateObservableGauge("frontdoor.messages.dead_letters", () => Read().Messages.DeadLetters, "{message}", "Messages that failed every retry and wait for an operator.");
        _meter.CreateObservableUpDownCounter("frontdoor.dashboard.clients", () => dashboards.Count, "{connection}", "Dashboard connections to the triage hub on this node.");
        _meter.CreateObservableCounter("frontdoor.dashboard.dropped", () => dashboards.Dropped, "{connection}", "Dashboard connections dropped because they stopped reading their pushes.");
    }

    public void ContactRecorded(string channel, string? site) => _contacts.Add(1, Tag("channel", channel), Tag("site", site ?? "none"));

    public void ReferralRaised(string service, string priority) => _referrals.Add(1, Tag("service", service), Tag("priority", priority));

    public void ReferralReturned(string service) => _returns.Add(1, Tag("service", service));

    public void ReferralOverdue(string service) => _overdue.Add(1, Tag("service", service));

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private Snapshot Read()
    {
        lock (_cacheLock)
        {
            if (DateTimeOffset.UtcNow - _cached.At < CacheFor)
            {
                return _cached;
            }

            try
            {
                _cached = ReadAsync().GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                // The database is unreachable: report nothing rather than stale figures as if they were fresh.
                _cached = new Snapshot([], 0, new MessageCounts(0, 0, 0), DateTimeOffset.UtcNow);
            }

            return _cached;
        }
    }

    private async Task<Snapshot> ReadAsync()
    {
        var connection = await _store.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var now = DateTimeOffset.UtcNow;
            var (services, withoutOwner) = await ViewFiguresEndpoint.ReadWorkAsync(connection, CancellationToken.None).ConfigureAwait(false);
            var all = services.Select(s => new QueueState(s.Service, s.QueueDepth, s.OldestWaitingSince is { } since ? (now - since).TotalSeconds : 0)).ToList();
            var messages = await DeadLetters.CountAsync(connection, CancellationToken.None).ConfigureAwait(false);
            return new Snapshot(all, withoutOwner, messages, now);
        }
    }

    private sealed record QueueState(string Service, long Depth, double OldestWaitingSeconds);

    private sealed record Snapshot(IReadOnlyList<QueueState> Queues, long WithoutOwner, MessageCounts Messages, DateTimeOffset At);
}
