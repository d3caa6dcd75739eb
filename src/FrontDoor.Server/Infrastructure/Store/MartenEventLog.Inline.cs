using System.Data.Common;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace FrontDoor.Server.Infrastructure.Store;

public sealed partial class MartenEventLog
{
    /// <summary>
    /// Where an inline projection's row writes its stream's last position: Marten's quick append draws positions in
    /// the database, so they are unknown while the projection runs, but the projection's statement runs after the
    /// append's in the same batch and transaction, where this finds them.
    /// </summary>
    public const string LastPositionOfStream = "(SELECT seq_id FROM mt_events WHERE stream_id = @stream ORDER BY version DESC LIMIT 1)";

    /// <summary>
    /// The stream an append's session writes, as stored before the append: set by the append only once the stream's
    /// row is locked at the version the caller read it at. Marten hands an inline projection nothing but the session,
    /// so the session is the key, and the entry goes when the session does.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, IReadOnlyList<RecordedEvent>> StoredBeforeAppend = new();

    /// <summary>
    /// One stream as an inline projection must fold it, inside the append's transaction: the events stored before
    /// this append, read on the append's own connection (the stream's row is locked, so none can be added meanwhile),
    /// followed by the ones being appended, with the JSON the log will hold for them. The new events' positions are
    /// not drawn yet and read as 0 (see <see cref="LastPositionOfStream"/>).
    /// </summary>
    public static async Task<IReadOnlyList<RecordedEvent>> StreamAsAppendedAsync(IDocumentOperations operations, IReadOnlyList<IEvent> appended, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(appended);
        var streamId = appended[0].StreamKey!;
        var connection = ((IQuerySession)operations).Connection
            ?? throw new InvalidOperationException("An inline projection runs inside the append's transaction, on its connection.");

        List<RecordedEvent> stream;
        if (StoredBeforeAppend.TryGetValue(operations, out var stored))
        {
            stream = [.. stored];
        }
        else
        {
            // Unqualified: the log's connections resolve names in FrontDoor's schema.
            await using var command = new NpgsqlCommand($"SELECT {RecordedColumns} FROM mt_events WHERE stream_id = @stream AND version < @before ORDER BY version", connection);
            command.Parameters.AddWithValue("stream", streamId);
            command.Parameters.AddWithValue("before", appended[0].Version);
            stream = await ReadRecordedAsync(command, cancellationToken).ConfigureAwait(false);
        }

        foreach (var @event in appended)
        {
            if (!PreparedEventSerializer.TryGetPrepared(@event.Data, out var json))
            {
                throw new InvalidOperationException($"Event {@event.Id} reached the log without the JSON prepared for it.");
            }

            stream.Add(new RecordedEvent(
                0,
                streamId,
                @event.Version,
                @event.Id,
                @event.EventTypeName,
                json,
                new EventMetadata(@event.CorrelationId, @event.CausationId, Header(@event, "actor"), Header(@event, "traceparent")),
                @event.Timestamp));
        }

        return stream;
    }

    /// <summary>
    /// The streams of <paramref name="category"/> with committed events after <paramref name="after"/>, and the highest
    /// position seen, as one snapshot shows them: unlike the log's reader this never waits for an append still open.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Streams, long Head)> StreamsAppendedAfterAsync(DbConnection connection, DbTransaction? transaction, long after, string category, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT stream_id, max(seq_id) FROM mt_events WHERE seq_id > @after GROUP BY stream_id";
        command.Parameters.Add(new NpgsqlParameter("after", after));
        var streams = new List<string>();
        var head = after;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            head = Math.Max(head, reader.GetInt64(1));
            var streamId = reader.GetString(0);
            if (StreamName.CategoryOf(streamId) == category)
            {
                streams.Add(streamId);
            }
        }

        return (streams, head);
    }

    private static string? Header(IEvent @event, string name) => @event.GetHeader(name)?.ToString();
}
