using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Infrastructure.Store;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace FrontDoor.Server.Figures.ViewingFigures;

/// <summary>
/// The council day's activity on the wall — contacts by channel, by site and by hour, referrals raised by hour —
/// kept by Marten's async daemon as the events arrive, as one fact per counted event and kind (keyed by the event's
/// position in the log), so a wall's refresh counts the day's facts instead of folding every contact and referral.
/// </summary>
/// <remarks>
/// Facts, not counters: writing a fact again changes nothing, so an event handed over twice — a page the daemon
/// retries, a rebuild replaying the log while a node's daemon keeps going — is still counted once, and the
/// projection is rebuilt in place like the inline read models, the wall reading it throughout. The daemon waits at
/// a hole in the log while the transaction that drew it may still commit (transaction evidence), so a late commit
/// is counted, not skipped. Only the day's figures lag the log, by the daemon's next page; the figures about work
/// as it stands (queues, overdue, returned, without an owner) come from the inline rows the queues read, so the wall
/// and the queues never disagree about a referral.
/// </remarks>
public sealed class DayActivityProjection : IProjection, IRebuildableProjection
{
    public const string Name = "day-activity";

    public const string Table = "rm_day_activity";

    /// <summary>The daemon's shard for this projection, as Marten records its progress.</summary>
    public static readonly string ShardName = AsyncProjection.ShardOf(Name);

    /// <summary>The council's clock: a day and its hours are London's, so the clock change is honoured.</summary>
    private static readonly TimeZoneInfo CouncilTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    string IRebuildableProjection.ProjectionName => Name;

    string IRebuildableProjection.Table => Table;

    public static class Kinds
    {
        public const string ContactsByChannel = "contacts-channel";
        public const string ContactsBySite = "contacts-site";
        public const string ContactsByHour = "contacts-hour";
        public const string ReferralsByHour = "referrals-hour";
    }

    public static string DayOf(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, CouncilTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string HourOf(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, CouncilTime).Hour.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(events);
        var facts = new List<(long Position, string Kind, string Day, string Key)>();
        foreach (var @event in events)
        {
            switch (@event.Data)
            {
                case ContactReceived received:
                    facts.Add((@event.Sequence, Kinds.ContactsByChannel, DayOf(received.At), received.Channel));
                    facts.Add((@event.Sequence, Kinds.ContactsByHour, DayOf(received.At), HourOf(received.At)));
                    if (received.SiteId is { } site)
                    {
                        facts.Add((@event.Sequence, Kinds.ContactsBySite, DayOf(received.At), site));
                    }

                    break;
                case ReferralRaised raised:
                    facts.Add((@event.Sequence, Kinds.ReferralsByHour, DayOf(raised.At), HourOf(raised.At)));
                    break;
            }
        }

        // One statement for the page, in the daemon's transaction with its progress. A fact already there is
        // rewritten only if this projection now derives it differently (a rebuild after a fix).
        if (facts.Count > 0)
        {
            QueuedSql.Queue(
                operations,
                $"""
                INSERT INTO {Table} (position, kind, day, key)
                SELECT * FROM unnest(@positions::bigint[], @kinds::text[], @days::text[], @keys::text[])
                ON CONFLICT (position, kind) DO UPDATE SET day = excluded.day, key = excluded.key
                WHERE ({Table}.day, {Table}.key) IS DISTINCT FROM (excluded.day, excluded.key)
                """,
                [
                    ("positions", facts.Select(f => f.Position).ToArray()),
                    ("kinds", facts.Select(f => f.Kind).ToArray()),
                    ("days", facts.Select(f => f.Day).ToArray()),
                    ("keys", facts.Select(f => f.Key).ToArray()),
                ]);
        }

        return Task.CompletedTask;
    }
}
