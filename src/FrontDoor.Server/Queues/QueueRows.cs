using System.Data.Common;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.Data;

namespace FrontDoor.Server.Queues;

/// <summary>
/// Work read from the read models as queue items: referrals most pressing first (priority, then due time), and the
/// front door's check-backs with residents. One query for a team's queue, a worker's own work, a manager's view of
/// who holds what, and the lists behind the wall's figures.
/// </summary>
public static class QueueRows
{
    public const string OpenStatuses = "('raised', 'claimed', 'accepted')";

    /// <summary>The condition for safeguarding or immediate work, which comes before everything.</summary>
    public const string Urgent = $"(safeguarding = 1 OR priority = '{PriorityCodes.Immediate}')";

    public const string MostPressingFirst = "priority_rank DESC, due_at_ms, raised_at_ms, referral_id";

    /// <summary>Open referrals matching <paramref name="where"/> (over <c>rm_referrals</c>), most pressing first.</summary>
    public static Task<List<QueueItem>> OpenReferralsAsync(DbConnection connection, string where, CancellationToken cancellationToken, int? limit = null, params (string Name, object? Value)[] parameters) =>
        ReferralsAsync(connection, $"status IN {OpenStatuses} AND ({where})", MostPressingFirst, cancellationToken, limit, parameters);

    /// <summary>Referrals in any state matching <paramref name="where"/>, in <paramref name="order"/>.</summary>
    public static Task<List<QueueItem>> ReferralsAsync(DbConnection connection, string where, string order, CancellationToken cancellationToken, int? limit = null, params (string Name, object? Value)[] parameters) =>
        Sql.QueryAsync(
            connection,
            null,
            $"""
            SELECT referral_id, contact_id, priority, status, raised_at_ms, due_at_ms, overdue, safeguarding, claimed_by, needs, version, held_since_ms, service
            FROM rm_referrals
            WHERE {where}
            ORDER BY {order}
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
                r.IsDBNull(11) ? null : Sql.FromUnixMs(r.GetInt64(11)),
                r.GetString(12)),
            cancellationToken,
            parameters);

    /// <summary>
    /// Check-backs with residents still to do, soonest first; with <paramref name="dueBy"/> only those due by then.
    /// They are the front door's work, and have no referral.
    /// </summary>
    public static Task<List<QueueItem>> CheckBacksAsync(DbConnection connection, CancellationToken cancellationToken, int? limit = null, DateTimeOffset? dueBy = null) =>
        Sql.QueryAsync(
            connection,
            null,
            $"""
            SELECT contact_id, received_at_ms, follow_up_due_at_ms, follow_up_marked_due, safeguarding, needs, last_position
            FROM rm_contacts
            WHERE follow_up_state = 'scheduled' AND status <> 'closed' {(dueBy is null ? string.Empty : "AND follow_up_due_at_ms <= @dueBy")}
            ORDER BY follow_up_due_at_ms, contact_id
            {(limit is { } n ? $"LIMIT {n}" : string.Empty)}
            """,
            r => new QueueItem(
                "follow-up",
                null,
                Guid.Parse(r.GetString(0)),
                PriorityCodes.Standard,
                r.GetInt64(3) == 1 ? "due" : "scheduled",
                Sql.FromUnixMs(r.GetInt64(1)),
                Sql.FromUnixMs(r.IsDBNull(2) ? r.GetInt64(1) : r.GetInt64(2)),
                false,
                r.GetInt64(4) == 1,
                null,
                JsonSerializer.Deserialize<List<string>>(r.GetString(5)) ?? [],
                r.GetInt64(6),
                null,
                ServiceCodes.FrontDoorTriage),
            cancellationToken,
            dueBy is { } due ? [("dueBy", due.ToUnixMs())] : []);

    /// <summary>Contacts matching <paramref name="where"/> (over <c>rm_contacts</c>), oldest first, as items of kind <c>contact</c>.</summary>
    public static Task<List<QueueItem>> ContactsAsync(DbConnection connection, string where, CancellationToken cancellationToken, int? limit = null) =>
        Sql.QueryAsync(
            connection,
            null,
            $"""
            SELECT contact_id, received_at_ms, safeguarding, needs, last_position, status
            FROM rm_contacts
            WHERE {where}
            ORDER BY received_at_ms, contact_id
            {(limit is { } n ? $"LIMIT {n}" : string.Empty)}
            """,
            r => new QueueItem(
                "contact",
                null,
                Guid.Parse(r.GetString(0)),
                PriorityCodes.Standard,
                r.GetString(5),
                Sql.FromUnixMs(r.GetInt64(1)),
                Sql.FromUnixMs(r.GetInt64(1)),
                false,
                r.GetInt64(2) == 1,
                null,
                JsonSerializer.Deserialize<List<string>>(r.GetString(3)) ?? [],
                r.GetInt64(4),
                null,
                ServiceCodes.FrontDoorTriage),
            cancellationToken);

    /// <summary>Everyone holding one of <paramref name="items"/>.</summary>
    public static IEnumerable<string> Holders(IEnumerable<QueueItem> items) => items.Select(i => i.ClaimedBy).OfType<string>();
}
