using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using FrontDoor.EventStore.Diagnostics;
using FrontDoor.EventStore.Subscriptions;
using Microsoft.Data.Sqlite;

namespace FrontDoor.EventStore.Sqlite;

/// <summary>
/// The embedded event log: one SQLite file in WAL mode, owned by one process. Readers run concurrently; writers
/// (appends and subscription units of work) take turns on an in-process lock, which is SQLite's own rule made
/// explicit so no write ever waits inside SQLite's busy handler.
/// </summary>
public sealed class SqliteEventStore : IEventStore, ISubscriptionStore, IAsyncDisposable
{
    private const string RecordedColumns = "position, stream_id, stream_version, event_id, event_type, data, metadata, created_at";

    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _leases = new(StringComparer.Ordinal);
    private readonly FileStream _ownership;
    private Task? _disposal;

    private SqliteEventStore(SqliteStoreOptions options, TimeProvider time, FileStream ownership)
    {
        _options = options;
        _time = time;
        _ownership = ownership;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
    }

    public AppendSignal Appended { get; } = new();

    public string Path => _options.Path;

    public static SqliteEventStore Open(SqliteStoreOptions options, IEnumerable<SqliteMigration>? extraMigrations = null, TimeProvider? time = null)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(folder))
        {
            PrivateFiles.CreateFolder(folder);
        }

        FileStream ownership;
        try
        {
            // One process owns the file: SQLite has no way to wake readers in other processes, and subscriptions
            // rely on being the only instance.
            ownership = PrivateFiles.Open(options.Path + ".owner", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new EventStoreException($"The SQLite store '{options.Path}' is already open in another process or store instance.", ex);
        }

        var store = new SqliteEventStore(options, time ?? TimeProvider.System, ownership);
        try
        {
            PrivateFiles.PrepareDatabase(options.Path);
            using var connection = store.OpenConnection();
            using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                wal.ExecuteNonQuery();
            }

            SqliteMigrations.Migrate(connection, SqliteMigrations.EventLog.Concat(extraMigrations ?? []));
            return store;
        }
        catch
        {
            ownership.Dispose();
            throw;
        }
    }

    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(int)_options.WriteLockTimeout.TotalMilliseconds}; PRAGMA synchronous = {_options.Synchronous}; PRAGMA secure_delete = {(_options.SecureDelete ? "ON" : "OFF")};");
        pragmas.ExecuteNonQuery();
        return connection;
    }

    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        AppendGuard.Validate(streamId, events);
        await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        AppendResult result;
        try
        {
            using var connection = OpenConnection();
            using var transaction = connection.BeginTransaction();
            result = AppendCore(connection, transaction, streamId, expected, events);
            transaction.Commit();
        }
        finally
        {
            _writeLock.Release();
        }

        Appended.Pulse();
        return result;
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion = 1, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RecordedColumns} FROM events WHERE stream_id = $stream AND stream_version >= $from ORDER BY stream_version LIMIT $max";
        command.Parameters.AddWithValue("$stream", streamId);
        command.Parameters.AddWithValue("$from", fromVersion);
        command.Parameters.AddWithValue("$max", maxCount);
        return Task.FromResult<IReadOnlyList<RecordedEvent>>(ReadRows(command));
    }

    public Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RecordedColumns} FROM events WHERE position > $after ORDER BY position LIMIT $max";
        command.Parameters.AddWithValue("$after", afterPosition);
        command.Parameters.AddWithValue("$max", maxCount);
        return Task.FromResult<IReadOnlyList<RecordedEvent>>(ReadRows(command));
    }

    public Task<long> ReadHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(position), 0) FROM events";
        return Task.FromResult((long)command.ExecuteScalar()!);
    }

    public Task<long> ReadStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        return Task.FromResult(ReadVersion(connection, null, streamId));
    }

    public Task<long> LoadCheckpointAsync(string subscription, CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT position FROM checkpoints WHERE subscription = $name";
        command.Parameters.AddWithValue("$name", subscription);
        return Task.FromResult(command.ExecuteScalar() is long position ? position : 0);
    }

    public Task<IReadOnlyList<CheckpointInfo>> ListCheckpointsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT subscription, position, updated_at FROM checkpoints ORDER BY subscription";
        using var reader = command.ExecuteReader();
        var result = new List<CheckpointInfo>();
        while (reader.Read())
        {
            result.Add(new CheckpointInfo(reader.GetString(0), reader.GetInt64(1), ParseTime(reader.GetString(2))));
        }

        return Task.FromResult<IReadOnlyList<CheckpointInfo>>(result);
    }

    public async Task<IStoreUnitOfWork> BeginUnitOfWorkAsync(CancellationToken cancellationToken = default)
    {
        await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = OpenConnection();
            return new UnitOfWork(this, connection, connection.BeginTransaction());
        }
        catch
        {
            _writeLock.Release();
            throw;
        }
    }

    public Task<ISubscriptionLease?> TryAcquireLeaseAsync(string subscription, CancellationToken cancellationToken = default)
    {
        var gate = _leases.GetOrAdd(subscription, _ => new SemaphoreSlim(1, 1));
        return Task.FromResult<ISubscriptionLease?>(gate.Wait(0, cancellationToken) ? new Lease(gate) : null);
    }

    public Task<IReadOnlyList<ParkedEvent>> ListParkedAsync(string? subscription = null, bool includeResolved = false, CancellationToken cancellationToken = default)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, subscription, position, event_id, event_type, stream_id, error, attempts, parked_at, replay_requested_at, resolved_at
            FROM parked_events
            WHERE ($subscription IS NULL OR subscription = $subscription) AND ($all OR resolved_at IS NULL)
            ORDER BY subscription, position
            """;
        command.Parameters.AddWithValue("$subscription", (object?)subscription ?? DBNull.Value);
        command.Parameters.AddWithValue("$all", includeResolved);
        using var reader = command.ExecuteReader();
        var result = new List<ParkedEvent>();
        while (reader.Read())
        {
            result.Add(new ParkedEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetInt64(2),
                Guid.Parse(reader.GetString(3)),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetInt32(7),
                ParseTime(reader.GetString(8)),
                reader.IsDBNull(9) ? null : ParseTime(reader.GetString(9)),
                reader.IsDBNull(10) ? null : ParseTime(reader.GetString(10))));
        }

        return Task.FromResult<IReadOnlyList<ParkedEvent>>(result);
    }

    public async Task<int> RequestReplayAsync(string subscription, CancellationToken cancellationToken = default)
    {
        await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE parked_events SET replay_requested_at = $now WHERE subscription = $subscription AND resolved_at IS NULL";
            command.Parameters.AddWithValue("$now", Now());
            command.Parameters.AddWithValue("$subscription", subscription);
            return command.ExecuteNonQuery();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            return Task.FromResult(command.ExecuteScalar() is 1L);
        }
        catch (SqliteException)
        {
            return Task.FromResult(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        // Every caller waits for the one real disposal: the file is only free for another process once it is done.
        lock (_ownership)
        {
            _disposal ??= DisposeOnceAsync();
        }

        return new ValueTask(_disposal);
    }

    private async Task DisposeOnceAsync()
    {
        // Let a write in flight finish, but never hold the file hostage to one that does not.
        var entered = await _writeLock.WaitAsync(_options.WriteLockTimeout).ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
        await _ownership.DisposeAsync().ConfigureAwait(false);
        if (entered)
        {
            _writeLock.Release();
        }
    }

    private async Task EnterWriteAsync(CancellationToken cancellationToken)
    {
        if (!await _writeLock.WaitAsync(_options.WriteLockTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new EventStoreException(
                $"Timed out after {_options.WriteLockTimeout} waiting to write to '{_options.Path}'. A subscription handler must append through its unit of work, not the store.");
        }
    }

    private AppendResult AppendCore(SqliteConnection connection, SqliteTransaction transaction, string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (activity, stamped) = EventStoreTelemetry.StartAppend("sqlite", streamId, events);
        using (activity)
        {
            var result = AppendStamped(connection, transaction, streamId, expected, stamped);
            EventStoreTelemetry.AppendCompleted(activity, "sqlite", started, result, events.Count);
            return result;
        }
    }

    private AppendResult AppendStamped(SqliteConnection connection, SqliteTransaction transaction, string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events)
    {
        var stored = FindStored(connection, transaction, streamId, events);
        var retry = AppendGuard.ResultOfRetry(streamId, events, stored);
        if (retry is not null)
        {
            return retry;
        }

        var current = ReadVersion(connection, transaction, streamId);
        if (!expected.IsSatisfiedBy(current))
        {
            throw new WrongExpectedVersionException(streamId, expected, current);
        }

        var now = Now();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO events (stream_id, stream_version, event_id, event_type, data, metadata, created_at)
            VALUES ($stream, $version, $id, $type, $data, $meta, $now)
            RETURNING position
            """;
        var version = insert.Parameters.Add("$version", SqliteType.Integer);
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var type = insert.Parameters.Add("$type", SqliteType.Text);
        var data = insert.Parameters.Add("$data", SqliteType.Text);
        var meta = insert.Parameters.Add("$meta", SqliteType.Text);
        insert.Parameters.AddWithValue("$stream", streamId);
        insert.Parameters.AddWithValue("$now", now);
        insert.Prepare();

        long position = 0;
        for (var i = 0; i < events.Count; i++)
        {
            version.Value = current + i + 1;
            id.Value = events[i].EventId.ToString("D");
            type.Value = events[i].Type;
            data.Value = events[i].Data;
            meta.Value = EventMetadataJson.Serialize(events[i].Metadata);
            position = (long)insert.ExecuteScalar()!;
        }

        var next = current + events.Count;
        using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO streams (stream_id, version, created_at, updated_at) VALUES ($stream, $version, $now, $now)
            ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at
            """;
        upsert.Parameters.AddWithValue("$stream", streamId);
        upsert.Parameters.AddWithValue("$version", next);
        upsert.Parameters.AddWithValue("$now", now);
        upsert.ExecuteNonQuery();
        return new AppendResult(next, position);
    }

    private static List<(Guid, long, long)> FindStored(SqliteConnection connection, SqliteTransaction transaction, string streamId, IReadOnlyList<EventData> events)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var names = new string[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            names[i] = "$e" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(names[i], events[i].EventId.ToString("D"));
        }

        command.CommandText = $"SELECT event_id, stream_version, position FROM events WHERE stream_id = $stream AND event_id IN ({string.Join(", ", names)})";
        command.Parameters.AddWithValue("$stream", streamId);
        using var reader = command.ExecuteReader();
        var stored = new List<(Guid, long, long)>();
        while (reader.Read())
        {
            stored.Add((Guid.Parse(reader.GetString(0)), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return stored;
    }

    private static long ReadVersion(SqliteConnection connection, SqliteTransaction? transaction, string streamId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM streams WHERE stream_id = $stream";
        command.Parameters.AddWithValue("$stream", streamId);
        return command.ExecuteScalar() is long version ? version : 0;
    }

    private static List<RecordedEvent> ReadRows(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<RecordedEvent>();
        while (reader.Read())
        {
            rows.Add(new RecordedEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetInt64(2),
                Guid.Parse(reader.GetString(3)),
                reader.GetString(4),
                reader.GetString(5),
                EventMetadataJson.Deserialize(reader.GetString(6)),
                ParseTime(reader.GetString(7))));
        }

        return rows;
    }

    private string Now() => _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private sealed class UnitOfWork : IStoreUnitOfWork
    {
        private readonly SqliteEventStore _store;
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;
        private bool _appended;
        private bool _released;

        public UnitOfWork(SqliteEventStore store, SqliteConnection connection, SqliteTransaction transaction)
        {
            _store = store;
            _connection = connection;
            _transaction = transaction;
        }

        public DbConnection Connection => _connection;

        public DbTransaction Transaction => _transaction;

        public Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
        {
            AppendGuard.Validate(streamId, events);
            var result = _store.AppendCore(_connection, _transaction, streamId, expected, events);
            _appended = true;
            return Task.FromResult(result);
        }

        public Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default)
        {
            using var command = Command($"SELECT {RecordedColumns} FROM events WHERE stream_id = $stream ORDER BY stream_version");
            command.Parameters.AddWithValue("$stream", streamId);
            return Task.FromResult<IReadOnlyList<RecordedEvent>>(ReadRows(command));
        }

        public Task AdvanceCheckpointAsync(string subscription, long expected, long position, CancellationToken cancellationToken = default)
        {
            using var command = Command("""
                INSERT INTO checkpoints (subscription, position, updated_at) VALUES ($name, $position, $now)
                ON CONFLICT (subscription) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
                WHERE checkpoints.position = $expected
                """);
            command.Parameters.AddWithValue("$name", subscription);
            command.Parameters.AddWithValue("$position", position);
            command.Parameters.AddWithValue("$expected", expected);
            command.Parameters.AddWithValue("$now", _store.Now());
            if (command.ExecuteNonQuery() != 1)
            {
                throw new CheckpointConflictException(subscription, expected);
            }

            return Task.CompletedTask;
        }

        public Task ParkAsync(string subscription, RecordedEvent recordedEvent, string failure, int attempts, CancellationToken cancellationToken = default)
        {
            using var command = Command("""
                INSERT INTO parked_events (subscription, position, event_id, event_type, stream_id, error, attempts, parked_at)
                VALUES ($subscription, $position, $eventId, $eventType, $streamId, $error, $attempts, $now)
                ON CONFLICT (subscription, position) DO UPDATE
                SET error = excluded.error, attempts = excluded.attempts, parked_at = excluded.parked_at, replay_requested_at = NULL, resolved_at = NULL
                """);
            command.Parameters.AddWithValue("$subscription", subscription);
            command.Parameters.AddWithValue("$position", recordedEvent.Position);
            command.Parameters.AddWithValue("$eventId", recordedEvent.EventId.ToString("D"));
            command.Parameters.AddWithValue("$eventType", recordedEvent.Type);
            command.Parameters.AddWithValue("$streamId", recordedEvent.StreamId);
            command.Parameters.AddWithValue("$error", failure);
            command.Parameters.AddWithValue("$attempts", attempts);
            command.Parameters.AddWithValue("$now", _store.Now());
            command.ExecuteNonQuery();
            return Task.CompletedTask;
        }

        public Task ResolveParkedAsync(long parkedId, CancellationToken cancellationToken = default)
        {
            using var command = Command("UPDATE parked_events SET resolved_at = $now, replay_requested_at = NULL WHERE id = $id");
            command.Parameters.AddWithValue("$id", parkedId);
            command.Parameters.AddWithValue("$now", _store.Now());
            command.ExecuteNonQuery();
            return Task.CompletedTask;
        }

        public Task RecordReplayFailureAsync(long parkedId, string failure, CancellationToken cancellationToken = default)
        {
            using var command = Command("UPDATE parked_events SET error = $error, attempts = attempts + 1, replay_requested_at = NULL WHERE id = $id");
            command.Parameters.AddWithValue("$id", parkedId);
            command.Parameters.AddWithValue("$error", failure);
            command.ExecuteNonQuery();
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken = default)
        {
            _transaction.Commit();
            Release();
            if (_appended)
            {
                _store.Appended.Pulse();
            }

            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _transaction.Dispose();
            _connection.Dispose();
            Release();
            return ValueTask.CompletedTask;
        }

        private void Release()
        {
            if (!_released)
            {
                _released = true;
                _store._writeLock.Release();
            }
        }

        private SqliteCommand Command(string sql)
        {
            var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            return command;
        }
    }

    private sealed class Lease : ISubscriptionLease
    {
        private readonly SemaphoreSlim _gate;
        private int _released;

        public Lease(SemaphoreSlim gate) => _gate = gate;

        // In one process ownership cannot be lost behind our back.
        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
