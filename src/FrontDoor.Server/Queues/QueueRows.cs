using System.Data.Common;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Server.Infrastructure.Data;

namespace FrontDoor.Server.Queues;

/// <summary>
/// Open referrals read from the referrals read model as queue items, most pressing first (priority, then due time):
/// one query for a team's queue, a worker's own work and a manager's view of who holds what.
/// </summary>
public static class QueueRows
{
    public const string OpenStatuses = "('raised', 'claimed', 'accepted')";

    /// <summary>Open referrals matching <paramref name="where"/> (over <c>rm_referrals</c>), most pressing first.</summary>
    public static Task<List<QueueItem>> OpenReferralsAsync(DbConnection connection, string where, CancellationToken cancellationToken, int? limit = null, params (string Name, object? Value)[] parameters) =>
        Sql.QueryAsync(
            connection,
            null,
            $"""
            SELECT referral_id, contact_id, priority, status, raised_at_ms, due_at_ms, overdue, safeguarding, claimed_by, needs, version, held_since_ms
            FROM rm_referrals
            WHERE status IN {OpenStatuses} AND ({where})
            ORDER BY priority_rank DESC, due_at_ms, raised_at_ms, referral_id
            {(limit is { } n ? $"LIMIT {n}" : string.Empty)}
            """,
            r => new QueueItem(
                "referral",
                Guid.Parse(r.GetString(0)),
                Guid.Parse(r.GetString(1)),
                r.GetString(2),
                r.GetString(3),
                Sql.FromUnixMs(r.GetInt64(4)),
                Sql.FromUnixMs(r.GetInt64(5)),
                r.GetInt64(6) == 1,
                r.GetInt64(7) == 1,
                r.NullableString(8),
                JsonSerializer.Deserialize<List<string>>(r.GetString(9)) ?? [],
                r.GetInt64(10),
                r.IsDBNull(11) ? null : Sql.FromUnixMs(r.GetInt64(11))),
            cancellationToken,
            parameters);

    /// <summary>Everyone holding one of <paramref name="items"/>.</summary>
    public static IEnumerable<string> Holders(IEnumerable<QueueItem> items) => items.Select(i => i.ClaimedBy).OfType<string>();
}
