using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Infrastructure.Store;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace FrontDoor.Server.Figures.ViewingFigures;

/// <summary>
/// The council day's activity on the wall — contacts by channel, by site and by hour, referrals raised by hour —
/// counted by Marten's async daemon as the events arrive, so a wall's refresh reads a few dozen counters instead of
/// every contact and referral of the day. A contact's or referral's first event is counted once: the daemon commits
/// the counts with its progress in one transaction, and waits at a hole in the log while the transaction that drew
/// it may still commit (transaction evidence), so a late commit is counted, not skipped.
/// </summary>
/// <remarks>
/// Only the day's counts lag the log, by the daemon's next page; the figures about work as it stands (queues,
/// overdue, returned, without an owner) come from the inline rows the queues read, so the wall and the queues never
/// disagree about a referral.
/// </remarks>
public sealed class DayActivityProjection : IProjection
{
    public const string Name = "day-activity";

    public const string Table = "rm_day_activity";

    /// <summary>The daemon's shard for this projection, as Marten records its progress.</summary>
    public static readonly string ShardName = AsyncProjection.ShardOf(Name);

    /// <summary>The council's clock: a day and its hours are London's, so the clock change is honoured.</summary>
    private static readonly TimeZoneInfo CouncilTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

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
        var counts = new Dictionary<(string Day, string Kind, string Key), long>();
        void Count(DateTimeOffset at, string kind, string key)
        {
            var counter = (DayOf(at), kind, key);
            counts[counter] = counts.GetValueOrDefault(counter) + 1;
        }

        foreach (var @event in events)
        {
            switch (@event.Data)
            {
                case ContactReceived received:
                    Count(received.At, Kinds.ContactsByChannel, received.Channel);
                    Count(received.At, Kinds.ContactsByHour, HourOf(received.At));
                    if (received.SiteId is { } site)
                    {
                        Count(received.At, Kinds.ContactsBySite, site);
                    }

                    break;
                case ReferralRaised raised:
                    Count(raised.At, Kinds.ReferralsByHour, HourOf(raised.At));
                    break;
            }
        }

        // One statement for the page, in the daemon's transaction with its progress.
        if (counts.Count > 0)
        {
            QueuedSql.Queue(
                operations,
                $"""
                INSERT INTO {Table} (day, kind, key, count)
                SELECT * FROM unnest(@days::text[], @kinds::text[], @keys::text[], @counts::bigint[])
                ON CONFLICT (day, kind, key) DO UPDATE SET count = {Table}.count + excluded.count
                """,
                [
                    ("days", counts.Keys.Select(k => k.Day).ToArray()),
                    ("kinds", counts.Keys.Select(k => k.Kind).ToArray()),
                    ("keys", counts.Keys.Select(k => k.Key).ToArray()),
                    ("counts", counts.Values.ToArray()),
                ]);
        }

        return Task.CompletedTask;
    }
}
