using System.Data.Common;
using FrontDoor.Server.Infrastructure.Data;

namespace FrontDoor.Server.Infrastructure.Messaging;

/// <summary>A message Wolverine gave up on after its retries, kept with the error that stopped it (never its body).</summary>
public sealed record DeadLetter(Guid Id, string MessageType, string? ExceptionType, string? ExceptionMessage, DateTimeOffset? SentAt, bool ReplayRequested);

/// <summary>
/// Reactions stored and not yet handled (the backlog behind the log), scheduled messages waiting for their time, and
/// dead letters waiting for an operator.
/// </summary>
public sealed record MessageCounts(long Waiting, long Scheduled, long DeadLetters);

/// <summary>
/// The one query over Wolverine's message storage (its tables live in FrontDoor's schema, which a store connection
/// searches), for the readiness report and the operators' commands alike. Replaying marks dead letters replayable:
/// a running node's durability agent moves them back to its inbox within a polling interval and handles each once.
/// </summary>
public static class DeadLetters
{
    // Wolverine creates its tables when a node first starts; an operator's command may come before that.
    private const string TablesExist = "to_regclass('wolverine_dead_letters') IS NOT NULL AND to_regclass('wolverine_incoming_envelopes') IS NOT NULL";

    public static async Task<MessageCounts> CountAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!await TablesExistAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            return new MessageCounts(0, 0, 0);
        }

        var counts = await Sql.QueryAsync(
            connection,
            null,
            "SELECT count(*) FILTER (WHERE status = 'Incoming'), count(*) FILTER (WHERE status = 'Scheduled'), (SELECT count(*) FROM wolverine_dead_letters) FROM wolverine_incoming_envelopes",
            r => new MessageCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)),
            cancellationToken).ConfigureAwait(false);
        return counts[0];
    }

    public static async Task<IReadOnlyList<DeadLetter>> ListAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!await TablesExistAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        return await Sql.QueryAsync(
            connection,
            null,
            "SELECT id, message_type, exception_type, exception_message, sent_at, replayable FROM wolverine_dead_letters ORDER BY sent_at, id",
            r => new DeadLetter(
                r.GetGuid(0),
                r.GetString(1),
                r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4),
                !r.IsDBNull(5) && r.GetBoolean(5)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks for every dead letter (or the one with <paramref name="id"/>) to be replayed; returns how many were marked.</summary>
    public static async Task<int> RequestReplayAsync(DbConnection connection, Guid? id, CancellationToken cancellationToken)
    {
        if (!await TablesExistAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        return await Sql.ExecuteAsync(
            connection,
            null,
            "UPDATE wolverine_dead_letters SET replayable = true WHERE (@id::uuid IS NULL OR id = @id::uuid) AND replayable IS NOT TRUE",
            cancellationToken,
            ("id", id)).ConfigureAwait(false);
    }

    private static async Task<bool> TablesExistAsync(DbConnection connection, CancellationToken cancellationToken) =>
        (await Sql.QueryAsync(connection, null, $"SELECT {TablesExist}", r => r.GetBoolean(0), cancellationToken).ConfigureAwait(false))[0];
}
