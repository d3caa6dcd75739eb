using System.Data.Common;
using Npgsql;

namespace FrontDoor.Server.Infrastructure.Store;

public sealed partial class MartenEventLog
{
    /// <summary>One transaction in which a reaction reads streams, appends to several and records what reacts to them.</summary>
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

    /// <summary>Cheap round trip used by readiness checks.</summary>
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
        private readonly List<AppendedEvent> _appended = [];

        // Every session fetched for writing in this transaction, disposed with it.
        private readonly List<IAsyncDisposable> _fetched = [];

        // Streams fetched for writing and not written since: a reaction fetches its cause's contact to find the cause
        // and then writes to the same contact, and a second fetch would read the very same rows again.
        private readonly Dictionary<string, object> _writes = new(StringComparer.Ordinal);

        // Streams already read (or fetched) in this transaction and not written since, for the same reason.
        private readonly Dictionary<string, IReadOnlyList<RecordedEvent>> _read = new(StringComparer.Ordinal);

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
            _writes.Remove(streamId);
            if (!_read.Remove(streamId, out var asRead))
            {
                asRead = NothingStoredIfNew(expected);
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var (activity, stamped) = EventLogTelemetry.StartAppend(Backend, streamId, events);
            using (activity)
            {
                // A failed statement would abort the whole unit of work, so a redelivered append is looked for first
                // rather than left for the event-id index to refuse.
                var result = expected.IsAny
                    ? await _store.FindRetryAsync(_connection, _transaction, streamId, events, cancellationToken).ConfigureAwait(false)
                    : null;
                if (result is null)
                {
                    result = await _store.AppendInAsync(_transaction, streamId, expected, stamped, asRead, commitWith: null, cancellationToken).ConfigureAwait(false);
                    if (result is not null)
                    {
                        _appended.AddRange(AppendedEvents(streamId, result.StreamVersion, stamped));
                    }
                }

                result ??= await _store.RetryOrConflictAsync(_connection, _transaction, streamId, expected, events, cancellationToken).ConfigureAwait(false);
                EventLogTelemetry.AppendCompleted(activity, Backend, started, result, events.Count);
                return result;
            }
        }

        public async Task LockStreamAsync(string streamId, CancellationToken cancellationToken = default)
        {
            await using (var command = new NpgsqlCommand($"SELECT 1 FROM {_store._schema}.mt_streams WHERE id = @stream FOR UPDATE", _connection, _transaction))
            {
                command.Parameters.AddWithValue("stream", streamId);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // What was read before the lock may predate a write it waited for.
            _read.Remove(streamId);
            _writes.Remove(streamId);
        }

        public async Task<StreamWrite<TState>> FetchForWritingAsync<TState>(string streamId, TState initial, CancellationToken cancellationToken = default)
        {
            if (_writes.TryGetValue(streamId, out var fetched) && fetched is StreamWrite<TState> unchanged)
            {
                return unchanged;
            }

            var session = _store._marten.LightweightSession(global::Marten.Services.SessionOptions.ForTransaction(_transaction, shouldAutoCommit: false));
            _fetched.Add(session);
            var stream = await session.Events.FetchForWriting<Folded<TState>>(streamId, cancellationToken).ConfigureAwait(false);
            var write = new StreamWrite<TState>(streamId, session, stream, initial, _transaction, ownedConnection: null);
            _writes[streamId] = write;
            _read[streamId] = write.Recorded;
            return write;
        }

        public async Task<AppendResult> AppendAsync<TState>(StreamWrite<TState> stream, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(stream);
            if (stream.OwnedConnection is not null || !ReferenceEquals(stream.Transaction, _transaction))
            {
                throw new InvalidOperationException("A stream is appended to in the transaction it was fetched in.");
            }

            AppendGuard.Validate(stream.StreamId, events);
            _read.Remove(stream.StreamId);
            _writes.Remove(stream.StreamId);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var (activity, stamped) = EventLogTelemetry.StartAppend(Backend, stream.StreamId, events);
            using (activity)
            {
                var result = await _store.AppendFetchedAsync(stream, stamped, commitWith: null, cancellationToken).ConfigureAwait(false);
                if (result is not null)
                {
                    _appended.AddRange(AppendedEvents(stream.StreamId, result.StreamVersion, stamped));
                }

                result ??= await _store.RetryOrConflictAsync(_connection, _transaction, stream.StreamId, ExpectedVersion.Exact(stream.Version), events, cancellationToken).ConfigureAwait(false);
                EventLogTelemetry.AppendCompleted(activity, Backend, started, result, events.Count);
                return result;
            }
        }

        public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default)
        {
            if (_read.TryGetValue(streamId, out var read))
            {
                return read;
            }

            await using var command = new NpgsqlCommand(
                $"SELECT {RecordedColumns} FROM {_store._schema}.mt_events WHERE stream_id = @stream ORDER BY version",
                _connection,
                _transaction);
            command.Parameters.AddWithValue("stream", streamId);
            read = await ReadRecordedAsync(command, cancellationToken).ConfigureAwait(false);
            _read[streamId] = read;
            return read;
        }

        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            if (_appended.Count == 0)
            {
                await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            // A Marten session on this transaction records the appends' reactions in Wolverine's outbox, commits, and
            // then sends them.
            await using (var session = _store._marten.LightweightSession(global::Marten.Services.SessionOptions.ForTransaction(_transaction, shouldAutoCommit: true)))
            {
                if (await _store._options.Outbox.EnlistAsync(session, _appended, cancellationToken).ConfigureAwait(false))
                {
                    await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            _store.Appended.Pulse();
            _store._wakeUp.NotifyOtherProcesses();
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var session in _fetched)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            await _transaction.DisposeAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
