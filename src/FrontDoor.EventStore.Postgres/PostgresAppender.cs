using FrontDoor.EventStore.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace FrontDoor.EventStore.Postgres;

/// <summary>The append, shared by stand-alone appends and appends inside a subscription's unit of work.</summary>
internal sealed class PostgresAppender
{
    private readonly string _schema;
    private readonly string _appendAny;
    private readonly string _appendNoStream;
    private readonly string _appendStreamExists;
    private readonly string _appendExact;

    public PostgresAppender(string schema)
    {
        _schema = schema;

        // One statement, so a stand-alone append is one round trip and its own transaction. The stream row is
        // written first: that assigns the transaction its id and takes the stream's row lock before any position is
        // drawn from the sequence. Both facts matter: positions within a stream then rise with versions, and a
        // reader that sees a hole in positions knows its owner already had a transaction id (see ReadAllAsync).
        // Only the count and the highest version and position come back: one row, however many events.
        const string insertEvents = """
            , inserted AS (
                INSERT INTO {0}.events (stream_id, stream_version, event_id, event_type, data, metadata, created_at)
                SELECT @stream, stream.version - @count + e.ord, e.id, e.type, e.data::jsonb, e.meta::jsonb, @now
                FROM stream, unnest(@ids, @types, @data, @meta) WITH ORDINALITY AS e(id, type, data, meta, ord)
                ORDER BY e.ord
                RETURNING stream_version, position)
            SELECT count(*), coalesce(max(stream_version), 0), coalesce(max(position), 0) FROM inserted
            """;
        var insert = string.Format(System.Globalization.CultureInfo.InvariantCulture, insertEvents, schema);
        _appendAny = $"""
            WITH stream AS (
                INSERT INTO {schema}.streams AS s (stream_id, version, created_at, updated_at)
                VALUES (@stream, @count, @now, @now)
                ON CONFLICT (stream_id) DO UPDATE SET version = s.version + @count, updated_at = @now
                RETURNING s.version)
            {insert}
            """;
        _appendNoStream = $"""
            WITH stream AS (
                INSERT INTO {schema}.streams (stream_id, version, created_at, updated_at)
                VALUES (@stream, @count, @now, @now)
                ON CONFLICT (stream_id) DO NOTHING
                RETURNING version)
            {insert}
            """;
        _appendStreamExists = $"""
            WITH stream AS (
                UPDATE {schema}.streams SET version = version + @count, updated_at = @now
                WHERE stream_id = @stream AND version > 0
                RETURNING version)
            {insert}
            """;
        _appendExact = $"""
            WITH stream AS (
                UPDATE {schema}.streams SET version = version + @count, updated_at = @now
                WHERE stream_id = @stream AND version = @expected
                RETURNING version)
            {insert}
            """;
    }

    public async Task<AppendResult> AppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string streamId,
        ExpectedVersion expected,
        IReadOnlyList<EventData> events,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        AppendGuard.Validate(streamId, events);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (activity, stamped) = EventStoreTelemetry.StartAppend("postgresql", streamId, events);
        using (activity)
        {
            var result = await AppendCoreAsync(connection, transaction, streamId, expected, stamped, now, cancellationToken).ConfigureAwait(false);
            EventStoreTelemetry.AppendCompleted(activity, "postgresql", started, result, events.Count);
            return result;
        }
    }

    private async Task<AppendResult> AppendCoreAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string streamId,
        ExpectedVersion expected,
        IReadOnlyList<EventData> events,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {

        // Inside a caller's transaction a unique violation would abort the whole transaction, so look for a retry
        // first; stand-alone, the violation itself is the cheaper signal.
        if (transaction is not null && expected.IsAny)
        {
            var earlier = await FindRetryAsync(connection, transaction, streamId, events, cancellationToken).ConfigureAwait(false);
            if (earlier is not null)
            {
                return earlier;
            }
        }

        try
        {
            var (count, version, position) = await InsertAsync(connection, transaction, streamId, expected, events, now, cancellationToken).ConfigureAwait(false);
            if (count == events.Count)
            {
                return new AppendResult(version, position);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && transaction is null)
        {
            // An id already in the stream: decided below, as a retry or as a conflict.
        }

        var retry = await FindRetryAsync(connection, transaction, streamId, events, cancellationToken).ConfigureAwait(false);
        if (retry is not null)
        {
            return retry;
        }

        var actual = await ReadVersionAsync(connection, transaction, streamId, cancellationToken).ConfigureAwait(false);
        throw new WrongExpectedVersionException(streamId, expected, actual);
    }

    public async Task<long> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string streamId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT version FROM {_schema}.streams WHERE stream_id = @stream", connection, transaction);
        command.Parameters.AddWithValue("stream", streamId);
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is long version ? version : 0;
    }

    private async Task<(long Count, long Version, long Position)> InsertAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string streamId,
        ExpectedVersion expected,
        IReadOnlyList<EventData> events,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var sql = expected.IsAny ? _appendAny
            : expected.IsStreamExists ? _appendStreamExists
            : expected.Value == 0 ? _appendNoStream
            : _appendExact;

        await using var command = new NpgsqlCommand(sql, connection, transaction);
        var ids = new Guid[events.Count];
        var types = new string[events.Count];
        var data = new string[events.Count];
        var meta = new string[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            ids[i] = events[i].EventId;
            types[i] = events[i].Type;
            data[i] = events[i].Data;
            meta[i] = EventMetadataJson.Serialize(events[i].Metadata);
        }

        command.Parameters.AddWithValue("stream", streamId);
        command.Parameters.AddWithValue("count", (long)events.Count);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("expected", expected.Value);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });
        command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = types });
        command.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = data });
        command.Parameters.Add(new NpgsqlParameter("meta", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = meta });

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private async Task<AppendResult?> FindRetryAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string streamId, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT event_id, stream_version, position FROM {_schema}.events WHERE stream_id = @stream AND event_id = ANY(@ids)",
            connection,
            transaction);
        command.Parameters.AddWithValue("stream", streamId);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.EventId).ToArray() });
        var stored = new List<(Guid, long, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            stored.Add((reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return AppendGuard.ResultOfRetry(streamId, events, stored);
    }
}
