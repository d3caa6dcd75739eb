using System.Data.Common;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Diagnostics;
using FrontDoor.EventStore.Subscriptions;
using Npgsql;

namespace FrontDoor.Server.Infrastructure.Store;

public sealed partial class MartenEventLog
{
    public async Task<long> LoadCheckpointAsync(string subscription, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT position FROM {_schema}.checkpoints WHERE subscription = @name");
        command.Parameters.AddWithValue("name", subscription);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long position ? position : 0;
    }

    public async Task<IReadOnlyList<CheckpointInfo>> ListCheckpointsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT subscription, position, updated_at FROM {_schema}.checkpoints ORDER BY subscription");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<CheckpointInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new CheckpointInfo(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return result;
    }

    public async Task<IStoreUnitOfWork> BeginUnitOfWorkAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new UnitOfWork(this, connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<ISubscriptionLease?> TryAcquireLeaseAsync(string subscription, CancellationToken cancellationToken = default)
    {
        // A session-level advisory lock lives exactly as long as the connection holding it, so that connection is
        // kept out of the pool: if this process dies, PostgreSQL closes it and another node can take over.
        var builder = new NpgsqlConnectionStringBuilder(_options.ConnectionString) { Pooling = false, KeepAlive = 5 };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", AdvisoryKey.For("subscription", _schema, subscription));
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return new Lease(connection, _options.LeaseKeepAliveInterval);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    public async Task<IReadOnlyList<ParkedEvent>> ListParkedAsync(string? subscription = null, bool includeResolved = false, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT id, subscription, position, event_id, event_type, stream_id, error, attempts, parked_at, replay_requested_at, resolved_at
            FROM {_schema}.parked_events
            WHERE (@subscription::text IS NULL OR subscription = @subscription) AND (@all OR resolved_at IS NULL)
            ORDER BY subscription, position
            """);
        command.Parameters.AddWithValue("subscription", (object?)subscription ?? DBNull.Value);
        command.Parameters.AddWithValue("all", includeResolved);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<ParkedEvent>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new ParkedEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetGuid(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetInt32(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10)));
        }

        return result;
    }

    public async Task<int> RequestReplayAsync(string subscription, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            $"UPDATE {_schema}.parked_events SET replay_requested_at = @now WHERE subscription = @subscription AND resolved_at IS NULL");
        command.Parameters.AddWithValue("now", _time.GetUtcNow());
        command.Parameters.AddWithValue("subscription", subscription);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    private sealed class UnitOfWork : IStoreUnitOfWork
    {
        private readonly MartenEventLog _store;
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlTransaction _transaction;
        private bool _appended;

        public UnitOfWork(MartenEventLog store, NpgsqlConnection connection, NpgsqlTransaction transaction)
        {
            _store = store;
            _connection = connection;
            _transaction = transaction;
        }

        public DbConnection Connection => _connection;

        public DbTransaction Transaction => _transaction;

        public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
        {
            AppendGuard.Validate(streamId, events);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var (activity, stamped) = EventStoreTelemetry.StartAppend(Backend, streamId, events);
            using (activity)
            {
                // A failed statement would abort the whole unit of work, so a redelivered append is looked for first
                // rather than left for the event-id index to refuse.
                var result = expected.IsAny
                    ? await _store.FindRetryAsync(_connection, _transaction, streamId, events, cancellationToken).ConfigureAwait(false)
                    : null;
                result ??= await _store.AppendInAsync(_transaction, streamId, expected, stamped, cancellationToken).ConfigureAwait(false)
                    ?? await _store.RetryOrConflictAsync(_connection, _transaction, streamId, expected, events, cancellationToken).ConfigureAwait(false);
                _appended = true;
                EventStoreTelemetry.AppendCompleted(activity, Backend, started, result, events.Count);
                return result;
            }
        }

        public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT {RecordedColumns} FROM {_store._schema}.mt_events WHERE stream_id = @stream ORDER BY version",
                _connection,
                _transaction);
            command.Parameters.AddWithValue("stream", streamId);
            return await ReadRecordedAsync(command, cancellationToken).ConfigureAwait(false);
        }

        public async Task AdvanceCheckpointAsync(string subscription, long expected, long position, CancellationToken cancellationToken = default)
        {
            await using var command = new NpgsqlCommand(
                $"""
                INSERT INTO {_store._schema}.checkpoints AS c (subscription, position, updated_at) VALUES (@name, @position, @now)
                ON CONFLICT (subscription) DO UPDATE SET position = @position, updated_at = @now WHERE c.position = @expected
                """,
                _connection,
                _transaction);
            command.Parameters.AddWithValue("name", subscription);
            command.Parameters.AddWithValue("position", position);
            command.Parameters.AddWithValue("expected", expected);
            command.Parameters.AddWithValue("now", _store._time.GetUtcNow());
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                throw new CheckpointConflictException(subscription, expected);
            }
        }

        public async Task ParkAsync(string subscription, RecordedEvent recordedEvent, string failure, int attempts, CancellationToken cancellationToken = default)
        {
            await using var command = new NpgsqlCommand(
                $"""
                INSERT INTO {_store._schema}.parked_events (subscription, position, event_id, event_type, stream_id, error, attempts, parked_at)
                VALUES (@subscription, @position, @eventId, @eventType, @streamId, @error, @attempts, @now)
                ON CONFLICT (subscription, position) DO UPDATE
                SET error = excluded.error, attempts = excluded.attempts, parked_at = excluded.parked_at, replay_requested_at = NULL, resolved_at = NULL
                """,
                _connection,
                _transaction);
            command.Parameters.AddWithValue("subscription", subscription);
            command.Parameters.AddWithValue("position", recordedEvent.Position);
            command.Parameters.AddWithValue("eventId", recordedEvent.EventId);
            command.Parameters.AddWithValue("eventType", recordedEvent.Type);
            command.Parameters.AddWithValue("streamId", recordedEvent.StreamId);
            command.Parameters.AddWithValue("error", failure);
            command.Parameters.AddWithValue("attempts", attempts);
            command.Parameters.AddWithValue("now", _store._time.GetUtcNow());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task ResolveParkedAsync(long parkedId, CancellationToken cancellationToken = default)
        {
            await using var command = new NpgsqlCommand(
                $"UPDATE {_store._schema}.parked_events SET resolved_at = @now, replay_requested_at = NULL WHERE id = @id",
                _connection,
                _transaction);
            command.Parameters.AddWithValue("id", parkedId);
            command.Parameters.AddWithValue("now", _store._time.GetUtcNow());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task RecordReplayFailureAsync(long parkedId, string failure, CancellationToken cancellationToken = default)
        {
            await using var command = new NpgsqlCommand(
                $"UPDATE {_store._schema}.parked_events SET error = @error, attempts = attempts + 1, replay_requested_at = NULL WHERE id = @id",
                _connection,
                _transaction);
            command.Parameters.AddWithValue("id", parkedId);
            command.Parameters.AddWithValue("error", failure);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (_appended)
            {
                _store.Appended.Pulse();
                _store._wakeUp.NotifyOtherProcesses();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Lease : ISubscriptionLease
    {
        private readonly NpgsqlConnection _connection;
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _disposing = new();
        private readonly Task _keepAlive;

        public Lease(NpgsqlConnection connection, TimeSpan keepAliveInterval)
        {
            _connection = connection;
            _keepAlive = Task.Run(() => KeepAliveAsync(keepAliveInterval));
        }

        public CancellationToken Lost => _lost.Token;

        public async ValueTask DisposeAsync()
        {
            await _disposing.CancelAsync().ConfigureAwait(false);
            await _keepAlive.ConfigureAwait(false);

            // Closing the connection releases the lock: no unlock call that could itself fail is needed.
            await _connection.DisposeAsync().ConfigureAwait(false);
            _lost.Dispose();
            _disposing.Dispose();
        }

        private async Task KeepAliveAsync(TimeSpan interval)
        {
            while (!_disposing.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(interval, _disposing.Token).ConfigureAwait(false);
                    await using var ping = new NpgsqlCommand("SELECT 1", _connection);
                    ping.CommandTimeout = Math.Max(1, (int)Math.Ceiling(interval.TotalSeconds * 5));
                    await ping.ExecuteScalarAsync(_disposing.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception)
                {
                    // The connection, and with it the advisory lock, is gone: another node may already own the
                    // subscription, so this one must stop at once.
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
    }
}
