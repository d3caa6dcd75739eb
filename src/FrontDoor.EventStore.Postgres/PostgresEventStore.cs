using System.Collections.Concurrent;
using System.Data.Common;
using FrontDoor.EventStore.Subscriptions;
using Npgsql;

namespace FrontDoor.EventStore.Postgres;

/// <summary>The production event log, on PostgreSQL through Npgsql.</summary>
public sealed partial class PostgresEventStore : IEventStore, ISubscriptionStore, IAsyncDisposable
{
    private const string RecordedColumns = "position, stream_id, stream_version, event_id, event_type, data::text, metadata::text, created_at";

    private readonly PostgresStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly PostgresAppender _appender;
    private readonly TimeProvider _time;
    private readonly PostgresWakeUp _wakeUp;

    // Holes in positions seen by readers, with the transaction-id fence that proves when they can no longer fill.
    private readonly ConcurrentDictionary<long, long> _gapFences = new();
    private int _disposed;

    private PostgresEventStore(PostgresStoreOptions options, NpgsqlDataSource dataSource, TimeProvider time)
    {
        _options = options;
        _dataSource = dataSource;
        _schema = options.ValidatedSchema;
        _appender = new PostgresAppender(_schema);
        _time = time;
        _wakeUp = new PostgresWakeUp(options.ConnectionString, $"{_schema}_appended", Appended);
    }

    public AppendSignal Appended { get; } = new();

    public string Schema => _schema;

    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>Migrates the schema (event log plus <paramref name="extraMigrations"/>) and starts listening for appends.</summary>
    public static async Task<PostgresEventStore> OpenAsync(
        PostgresStoreOptions options,
        IEnumerable<PostgresMigration>? extraMigrations = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        // Unqualified names (read models written by handlers in a unit of work) resolve to the store's schema.
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString) { SearchPath = options.ValidatedSchema };
        if (!builder.ContainsKey("Max Auto Prepare"))
        {
            // The same few statements run all day (appends, stream reads, checkpoints, read-model upserts): preparing
            // them once per connection saves parsing and planning on both sides. Set Max Auto Prepare=0 explicitly
            // behind a pooler in transaction mode, where prepared statements do not survive.
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        var connectionString = builder.ConnectionString;
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            var store = new PostgresEventStore(options, dataSource, time ?? TimeProvider.System);
            await PostgresMigrations.MigrateAsync(dataSource, store._schema, PostgresMigrations.EventLog.Concat(extraMigrations ?? []), cancellationToken).ConfigureAwait(false);
            store._wakeUp.Start();
            return store;
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var result = await _appender.AppendAsync(connection, null, streamId, expected, events, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        Appended.Pulse();
        _wakeUp.NotifyOtherProcesses();
        return result;
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion = 1, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT {RecordedColumns} FROM {_schema}.events WHERE stream_id = @stream AND stream_version >= @from ORDER BY stream_version LIMIT @max");
        command.Parameters.AddWithValue("stream", streamId);
        command.Parameters.AddWithValue("from", fromVersion);
        command.Parameters.AddWithValue("max", (long)maxCount);
        return await ReadRecordedAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> ReadStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await _appender.ReadVersionAsync(connection, null, streamId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> ReadHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT coalesce(max(position), 0) FROM {_schema}.events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Reads the log in position order without ever stepping over an event that may still commit.
    /// <para>
    /// A hole at position p below a visible event means p was drawn by a transaction that is either still open or
    /// rolled back. Every append takes its transaction id before it draws a position, so the owner of p had its id
    /// before we saw the later event. On first sight of a hole we therefore take a fresh transaction id as a fence:
    /// it is higher than the owner's. Once the oldest running transaction (the snapshot's xmin) is at or past the
    /// fence, the owner has finished, and a read in that state shows p if it committed; if it still doesn't, p was
    /// rolled back and is skipped. There is no timeout: a slow transaction is waited for, never skipped.
    /// </para>
    /// </summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);

        var fenceForNextGap = _gapFences.TryGetValue(afterPosition + 1, out var fence) ? fence : (long?)null;

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        long oldestRunning = 0;
        List<RecordedEvent> rows;
        await using (var batch = new NpgsqlBatch(connection))
        {
            // The xmin is read in a statement before the rows: the rows' snapshot is then at least as new.
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"));
            var read = new NpgsqlBatchCommand($"SELECT {RecordedColumns} FROM {_schema}.events WHERE position > @after ORDER BY position LIMIT @max");
            read.Parameters.AddWithValue("after", afterPosition);
            read.Parameters.AddWithValue("max", (long)maxCount);
            batch.BatchCommands.Add(read);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                oldestRunning = reader.GetInt64(0);
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            rows = await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false);
        }

        if (rows.Count == 0)
        {
            return rows;
        }

        var start = afterPosition;
        if (rows[0].Position != afterPosition + 1)
        {
            if (fenceForNextGap is { } knownFence && oldestRunning >= knownFence)
            {
                // Every transaction that could own the hole had finished before this read: what is missing was
                // rolled back.
                _gapFences.TryRemove(afterPosition + 1, out _);
                start = rows[0].Position - 1;
            }
            else
            {
                if (fenceForNextGap is null)
                {
                    _gapFences[afterPosition + 1] = await TakeFenceAsync(connection, cancellationToken).ConfigureAwait(false);
                }

                return [];
            }
        }

        var contiguous = 0;
        var expected = start + 1;
        while (contiguous < rows.Count && rows[contiguous].Position == expected)
        {
            contiguous++;
            expected++;
        }

        if (contiguous < rows.Count && !_gapFences.ContainsKey(expected))
        {
            _gapFences[expected] = await TakeFenceAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        ForgetFencesUpTo(expected - 1);
        return contiguous == rows.Count ? rows : rows.GetRange(0, contiguous);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _wakeUp.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<long> TakeFenceAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Assigns (and commits) a transaction id of our own: any transaction that drew a position before now has a
        // lower id.
        await using var command = new NpgsqlCommand("SELECT pg_current_xact_id()::text::bigint", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private void ForgetFencesUpTo(long position)
    {
        foreach (var key in _gapFences.Keys)
        {
            if (key <= position)
            {
                _gapFences.TryRemove(key, out _);
            }
        }
    }

    private static async Task<IReadOnlyList<RecordedEvent>> ReadRecordedAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<RecordedEvent>> ReadRowsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<RecordedEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new RecordedEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetGuid(3),
                reader.GetString(4),
                reader.GetString(5),
                EventMetadataJson.Deserialize(reader.GetString(6)),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return rows;
    }
}
