using System.Collections.Concurrent;
using System.Data.Common;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>
/// The event log on Marten: streams and events in Marten's <c>mt_streams</c> and <c>mt_events</c>, appended through
/// Marten sessions (quick append, the caller's event ids, correlation, causation, actor and trace in Marten's
/// metadata), read in one global order that never steps over an event that may still commit.
/// </summary>
public sealed partial class MartenEventLog : FrontDoor.Server.Infrastructure.Store.IEventLog, IStreamWriting, IAsyncDisposable
{
    private const string Backend = "postgresql";
    private const int MaxAttempts = 3;
    private const string RecordedColumns = "seq_id, stream_id, version, id, type, data::text, correlation_id, causation_id, headers->>'actor', headers->>'traceparent', timestamp";

    private readonly EventLogOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly IDocumentStore _marten;
    private readonly NpgsqlDataSource? _ownedMartenSource;
    private readonly string _schema;
    private readonly string _lockStream;
    private readonly TimeProvider _time;
    private readonly PostgresWakeUp _wakeUp;

    // Holes in positions seen by readers, with the transaction-id fence that proves when they can no longer fill.
    private readonly ConcurrentDictionary<long, long> _gapFences = new();
    private int _disposed;

    /// <param name="ownedMartenSource">Marten's connections, when this log owns its Marten store (null when the host does).</param>
    private MartenEventLog(EventLogOptions options, NpgsqlDataSource dataSource, IDocumentStore marten, NpgsqlDataSource? ownedMartenSource, TimeProvider time)
    {
        _options = options;
        _dataSource = dataSource;
        _marten = marten;
        _ownedMartenSource = ownedMartenSource;
        _schema = options.ValidatedSchema;
        _time = time;
        _wakeUp = new PostgresWakeUp(options.ConnectionString, $"{_schema}_appended", Appended);
        _lockStream = $"SELECT pg_current_xact_id()::text, (SELECT version FROM {_schema}.mt_streams WHERE id = @stream FOR UPDATE)";
    }

    /// <summary>
    /// Marten as FrontDoor's log needs it, for the server's <c>AddMarten</c> and for a log opened on its own alike:
    /// the domain's events under their stored names, FrontDoor's metadata, sealed personal data, inline read models.
    /// </summary>
    public static void ConfigureMarten(global::Marten.StoreOptions marten, EventLogOptions options, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(marten);
        ArgumentNullException.ThrowIfNull(options);
        var schema = options.ValidatedSchema;
        marten.Connection(dataSource);
        marten.DatabaseSchemaName = schema;
        marten.Events.DatabaseSchemaName = schema;
        marten.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        marten.Events.StreamIdentity = StreamIdentity.AsString;

        // Quick: one function call per append; the log's own reader, not Marten's, orders what follows.
        marten.Events.AppendMode = EventAppendMode.Quick;
        marten.Events.MetadataConfig.CorrelationIdEnabled = true;
        marten.Events.MetadataConfig.CausationIdEnabled = true;
        marten.Events.MetadataConfig.HeadersEnabled = true;

        // A retried append is recognised by its event ids, so they are unique across the log, not just per stream.
        marten.Events.EnableUniqueIndexOnEventId = true;
        foreach (var (name, type) in options.EventTypes)
        {
            marten.Events.MapEventType(type, name);
        }

        marten.Serializer(new PreparedEventSerializer(System.Text.Json.JsonSerializerOptions.Web, options.HoldsPersonalData, options.ReadSealed, options.EventTypes.Values));

        // Live: what a change fetches for writing (FetchForWriting) is folded by the decider's own Evolve.
        foreach (var fold in options.StreamFolds)
        {
            fold.Register(marten);
        }

        // Inline: a read model's rows commit or roll back with the events they come from, in every append.
        foreach (var projection in options.InlineProjections)
        {
            // Named, so Marten's daemon can rebuild it by the name operators use.
            marten.Projections.Add(projection, global::JasperFx.Events.Projections.ProjectionLifecycle.Inline, (projection as IRebuildableProjection)?.ProjectionName);
        }

        // Async: the daemon (run on one node, by Wolverine) folds these behind the log, in its own transactions. A
        // rebuild replays the log over the table as it stands, so the wall keeps reading it: each projection writes
        // what it derives from an event idempotently, so nothing is counted twice.
        foreach (var projection in options.AsyncProjections)
        {
            marten.Projections.Add(
                projection.Projection,
                global::JasperFx.Events.Projections.ProjectionLifecycle.Async,
                projection.Name,
                async => async.TeardownDataOnRebuild = false);
        }
    }

    /// <summary>
    /// The connections FrontDoor's store uses: unqualified names resolve to its schema, sessions are in UTC, and the
    /// log's own connections keep their session (and with it PostgreSQL's cached plans) from one use to the next.
    /// </summary>
    /// <param name="sharedWithLibraries">For Marten's and Wolverine's own use: connections reset when pooled (see below).</param>
    public static NpgsqlDataSource CreateDataSource(string connectionString, string schema, bool sharedWithLibraries = false)
    {
        // Unqualified names (read models written by handlers in a unit of work) resolve to the store's schema.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema };

        // Marten stamps events with now() at time zone 'utc' into a timestamptz, which is only right in a UTC session.
        builder.Timezone = "UTC";

        // A connection going back to the pool is reset with DISCARD ALL, which also throws away the plans PL/pgSQL has
        // cached for Marten's append function, so the next append plans its statements again (measured under load:
        // 0.59 ms a call with the reset, 0.29 ms without). The log's own connections keep no session state (its locks
        // are transaction-scoped; nothing is SET or LISTENed on them), so they skip the reset. Marten and Wolverine get
        // connections that keep it: Wolverine's leader lock is session-scoped, and should its release fail, the
        // reset's pg_advisory_unlock_all is what frees it.
        // NpgsqlConnectionStringBuilder.ContainsKey says whether a keyword exists, not whether it was given, so an
        // operator's own setting is looked for in the string as written.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!sharedWithLibraries && !given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        // Statements are not auto-prepared (Max Auto Prepare stays 0): an auto-prepared statement that fails inside a
        // transaction leaves its connection out of step with the server (npgsql/npgsql#6391, open), which the log's
        // all-or-nothing append test shows as a protocol error on the next append.
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public AppendSignal Appended { get; } = new();

    public string Schema => _schema;

    public NpgsqlDataSource DataSource => _dataSource;

    /// <summary>
    /// Opens the log on a Marten store of its own (an operator's command, the log's own tests): migrates FrontDoor's
    /// tables (<paramref name="extraMigrations"/>: read models, keys) and Marten's, then starts listening for appends.
    /// </summary>
    public static async Task<MartenEventLog> OpenAsync(
        EventLogOptions options,
        IEnumerable<PostgresMigration>? extraMigrations = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dataSource = CreateDataSource(options.ConnectionString, options.ValidatedSchema);
        var martenSource = CreateDataSource(options.ConnectionString, options.ValidatedSchema, sharedWithLibraries: true);
        DocumentStore? marten = null;
        try
        {
            marten = DocumentStore.For(store => ConfigureMarten(store, options, martenSource));
            return await OpenAsync(new MartenEventLog(options, dataSource, marten, ownedMartenSource: martenSource, time ?? TimeProvider.System), extraMigrations, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            marten?.Dispose();
            await dataSource.DisposeAsync().ConfigureAwait(false);
            await martenSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Opens the log on the server's Marten store (registered with <c>AddMarten</c>, which Wolverine is integrated
    /// with) and its data source, both owned by the host.
    /// </summary>
    public static Task<MartenEventLog> OpenAsync(
        EventLogOptions options,
        NpgsqlDataSource dataSource,
        IDocumentStore marten,
        IEnumerable<PostgresMigration>? extraMigrations,
        TimeProvider time,
        CancellationToken cancellationToken = default) =>
        OpenAsync(new MartenEventLog(options, dataSource, marten, ownedMartenSource: null, time), extraMigrations, cancellationToken);

    private static async Task<MartenEventLog> OpenAsync(MartenEventLog log, IEnumerable<PostgresMigration>? extraMigrations, CancellationToken cancellationToken)
    {
        await SchemaMigrations.MigrateAsync(log._dataSource, log._schema, SchemaMigrations.EventLog.Concat(extraMigrations ?? []), cancellationToken).ConfigureAwait(false);
        await log.ApplyMartenSchemaAsync(cancellationToken).ConfigureAwait(false);
        log._wakeUp.Start();
        return log;
    }

    public async Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        AppendGuard.Validate(streamId, events);
        var storedAsRead = NothingStoredIfNew(expected);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (activity, stamped) = EventLogTelemetry.StartAppend(Backend, streamId, events);
        using (activity)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            AppendResult result;
            for (var attempt = 1; ; attempt++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                AppendResult? appended;
                try
                {
                    // The session commits the append, with the reactions it records, and sends them once committed.
                    appended = await AppendInAsync(transaction, streamId, expected, stamped, storedAsRead, _options.Outbox, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsRefusal(ex))
                {
                    // A new stream created meanwhile, or an event id already stored: decided below.
                    appended = null;
                }

                if (appended is not null)
                {
                    result = appended;
                    break;
                }

                // Rolls back what is still open; Marten has already rolled back a refused save.
                await transaction.DisposeAsync().ConfigureAwait(false);
                try
                {
                    result = await RetryOrConflictAsync(connection, null, streamId, expected, events, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (WrongExpectedVersionException conflict) when (attempt < MaxAttempts && expected.IsSatisfiedBy(conflict.ActualVersion))
                {
                    // Lost the race to create the stream to an append that still satisfies this expectation (an Any
                    // append): the stream's row exists now, so the next attempt waits on its lock instead.
                }
            }

            EventLogTelemetry.AppendCompleted(activity, Backend, started, result, events.Count);
            Appended.Pulse();
            _wakeUp.NotifyOtherProcesses();
            return result;
        }
    }

    /// <summary>
    /// A request's change: a transaction of its own, in which Marten fetches the stream for writing (one round trip:
    /// its version and its events, folded by the decider) and the append commits.
    /// </summary>
    public async Task<StreamWrite<TState>> FetchForWritingAsync<TState>(string streamId, TState initial, CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        NpgsqlTransaction? transaction = null;
        IDocumentSession? session = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            session = _marten.LightweightSession(global::Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: true));
            var stream = await session.Events.FetchForWriting<Folded<TState>>(streamId, cancellationToken).ConfigureAwait(false);
            return new StreamWrite<TState>(streamId, session, stream, initial, transaction, connection);
        }
        catch
        {
            if (session is not null)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<AppendResult> AppendAsync<TState>(StreamWrite<TState> stream, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var connection = stream.OwnedConnection
            ?? throw new InvalidOperationException("A stream fetched in a unit of work is appended to through that unit of work.");
        AppendGuard.Validate(stream.StreamId, events);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (activity, stamped) = EventLogTelemetry.StartAppend(Backend, stream.StreamId, events);
        using (activity)
        {
            AppendResult? result;
            try
            {
                // The session commits the append, with the reactions it records, and sends them once committed.
                result = await AppendFetchedAsync(stream, stamped, _options.Outbox, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsRefusal(ex))
            {
                // A new stream created meanwhile, or an event id already stored: decided below.
                result = null;
            }

            if (result is null)
            {
                // Rolls back what is still open; Marten has already rolled back a refused save.
                await stream.Transaction.DisposeAsync().ConfigureAwait(false);
                result = await RetryOrConflictAsync(connection, null, stream.StreamId, ExpectedVersion.Exact(stream.Version), events, cancellationToken).ConfigureAwait(false);
            }

            EventLogTelemetry.AppendCompleted(activity, Backend, started, result, events.Count);
            Appended.Pulse();
            _wakeUp.NotifyOtherProcesses();
            return result;
        }
    }

    public async Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion = 1, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT {RecordedColumns} FROM {_schema}.mt_events WHERE stream_id = @stream AND version >= @from ORDER BY version LIMIT @max");
        command.Parameters.AddWithValue("stream", streamId);
        command.Parameters.AddWithValue("from", fromVersion);
        command.Parameters.AddWithValue("max", (long)maxCount);
        return await ReadRecordedAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every event of each of <paramref name="streamIds"/>, in version order, in one round trip.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<RecordedEvent>>> ReadStreamsAsync(IReadOnlyCollection<string> streamIds, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT {RecordedColumns} FROM {_schema}.mt_events WHERE stream_id = ANY(@streams) ORDER BY stream_id, version");
        command.Parameters.Add(new NpgsqlParameter("streams", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = streamIds.ToArray() });
        return ByStream(await ReadRecordedAsync(command, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Rows ordered by stream and version, as one list per stream.</summary>
    private static Dictionary<string, IReadOnlyList<RecordedEvent>> ByStream(List<RecordedEvent> rows) =>
        rows.GroupBy(e => e.StreamId, StringComparer.Ordinal).ToDictionary(g => g.Key, IReadOnlyList<RecordedEvent> (g) => g.ToList(), StringComparer.Ordinal);

    public async Task<long> ReadStreamVersionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadVersionAsync(connection, null, streamId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> ReadHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT coalesce(max(seq_id), 0) FROM {_schema}.mt_events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Reads the log in position order without ever stepping over an event that may still commit.
    /// <para>
    /// A hole at position p below a visible event means p was drawn by a transaction that is either still open or
    /// rolled back. Every append takes its transaction id before it draws a position (see <see cref="AppendInAsync"/>),
    /// so the owner of p had its id before we saw the later event. On first sight of a hole we therefore take a fresh
    /// transaction id as a fence: it is higher than the owner's. Once the oldest running transaction (the snapshot's
    /// xmin) is at or past the fence, the owner has finished, and a read in that state shows p if it committed; if it
    /// still doesn't, p was rolled back and is skipped. There is no timeout: a slow transaction is waited for, never
    /// skipped.
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
            var read = new NpgsqlBatchCommand($"SELECT {RecordedColumns} FROM {_schema}.mt_events WHERE seq_id > @after ORDER BY seq_id LIMIT @max");
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
        if (_ownedMartenSource is not null)
        {
            _marten.Dispose();
            await _dataSource.DisposeAsync().ConfigureAwait(false);
            await _ownedMartenSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The append of a new stream's events inside <paramref name="transaction"/> (a stream created, or appended to
    /// without a decision): lock the stream (or take the transaction's id, for a new one), check the expected version
    /// against what is stored, then hand the events to a Marten session enlisted in the same transaction. Returns
    /// null, writing nothing, when the stream is not at <paramref name="expected"/>. With <paramref name="commitWith"/>,
    /// the session records the append's reactions in Wolverine's outbox and commits; without, the transaction stays
    /// open for the unit of work it belongs to.
    /// </summary>
    private async Task<AppendResult?> AppendInAsync(NpgsqlTransaction transaction, string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, IReadOnlyList<RecordedEvent>? storedAsRead, IAppendOutbox? commitWith, CancellationToken cancellationToken)
    {
        if (await LockStreamAsync(transaction, streamId, expected, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return null;
        }

        await using var session = _marten.LightweightSession(global::Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: commitWith is not null));
        if (storedAsRead is not null && storedAsRead.Count == current)
        {
            StoredBeforeAppend.AddOrUpdate(session, storedAsRead);
        }

        var appended = Build(session, events);

        // Marten's expected version is the stream's version after the append. Passing it for every append also makes
        // Marten refuse a stream that appeared after the check above (a new stream created meanwhile).
        session.Events.Append(streamId, current + events.Count, appended);
        return await SaveAsync(session, streamId, current, events, appended, commitWith, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The append of what was decided on a stream fetched for writing, inside the fetch's transaction: the same lock
    /// and check as any append, then the events go to the stream Marten fetched, which appends them at the version
    /// it was fetched at. Returns null, writing nothing, when the stream moved on after the fetch.
    /// </summary>
    private async Task<AppendResult?> AppendFetchedAsync<TState>(StreamWrite<TState> stream, IReadOnlyList<EventData> events, IAppendOutbox? commitWith, CancellationToken cancellationToken)
    {
        if (await LockStreamAsync(stream.Transaction, stream.StreamId, ExpectedVersion.Exact(stream.Version), cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return null;
        }

        // The stream is locked at the version it was fetched at, so the events it was folded from are all it holds.
        StoredBeforeAppend.AddOrUpdate(stream.Session, stream.Recorded);
        var appended = Build(stream.Session, events);
        stream.Stream.AppendMany(appended);
        return await SaveAsync(stream.Session, stream.StreamId, current, events, appended, commitWith, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Before Marten's append draws a position, the transaction must hold an id of its own, and appends to one stream
    /// must queue behind each other (Marten's quick append reads the version unlocked and draws the sequence before
    /// its first write, so neither holds without this): the stream's row lock does both for an existing stream;
    /// asking for the id does it for a new one. The stream's version, or null when it is not at <paramref name="expected"/>.
    /// </summary>
    private async Task<long?> LockStreamAsync(NpgsqlTransaction transaction, string streamId, ExpectedVersion expected, CancellationToken cancellationToken)
    {
        long current;
        await using (var command = new NpgsqlCommand(_lockStream, transaction.Connection, transaction))
        {
            command.Parameters.AddWithValue("stream", streamId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            current = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
        }

        return expected.IsSatisfiedBy(current) ? current : null;
    }

    /// <summary>Marten's events for <paramref name="events"/>: the caller's ids and metadata, and the JSON prepared for each.</summary>
    private static IEvent[] Build(IDocumentSession session, IReadOnlyList<EventData> events)
    {
        var appended = new IEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var data = events[i];
            PreparedEventSerializer.Prepare(data.Event, data.Data);
            var @event = session.Events.BuildEvent(data.Event);
            @event.Id = data.EventId;
            @event.CorrelationId = data.Metadata.CorrelationId;
            @event.CausationId = data.Metadata.CausationId;
            if (data.Metadata.Actor is { } actor)
            {
                @event.SetHeader("actor", actor);
            }

            if (data.Metadata.TraceParent is { } traceParent)
            {
                @event.SetHeader("traceparent", traceParent);
            }

            appended[i] = @event;
        }

        return appended;
    }

    private static async Task<AppendResult> SaveAsync(IDocumentSession session, string streamId, long current, IReadOnlyList<EventData> events, IEvent[] appended, IAppendOutbox? commitWith, CancellationToken cancellationToken)
    {
        if (commitWith is not null)
        {
            await commitWith.EnlistAsync(session, AppendedEvents(streamId, current + events.Count, events), cancellationToken).ConfigureAwait(false);
        }

        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return new AppendResult(appended[^1].Version, appended[^1].Sequence);
    }

    /// <summary>An event Marten read from the log, as the log's readers see it: the JSON it is stored with and all.</summary>
    internal static RecordedEvent Recorded(IEvent @event) => new(
        @event.Sequence,
        @event.StreamKey!,
        @event.Version,
        @event.Id,
        @event.EventTypeName,
        PreparedEventSerializer.TryGetStored(@event.Data, out var json)
            ? json
            : throw new InvalidOperationException($"Event {@event.Id} was read without the JSON it is stored with."),
        new EventMetadata(@event.CorrelationId, @event.CausationId, Header(@event, "actor"), Header(@event, "traceparent")),
        @event.Timestamp);

    /// <summary>A stream expected not to exist has nothing stored before the append: no read is needed to fold it.</summary>
    private static IReadOnlyList<RecordedEvent>? NothingStoredIfNew(ExpectedVersion expected) =>
        expected == ExpectedVersion.NoStream ? [] : null;

    /// <summary>The events of an append whose last is at <paramref name="lastVersion"/>, each at its version in the stream.</summary>
    private static AppendedEvent[] AppendedEvents(string streamId, long lastVersion, IReadOnlyList<EventData> events)
    {
        var first = lastVersion - events.Count + 1;
        var appended = new AppendedEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            appended[i] = new AppendedEvent(streamId, first + i, events[i]);
        }

        return appended;
    }

    /// <summary>After an append was refused: the original result when every event is already stored, else the conflict.</summary>
    private async Task<AppendResult> RetryOrConflictAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        var retry = await FindRetryAsync(connection, transaction, streamId, events, cancellationToken).ConfigureAwait(false);
        if (retry is not null)
        {
            return retry;
        }

        throw new WrongExpectedVersionException(streamId, expected, await ReadVersionAsync(connection, transaction, streamId, cancellationToken).ConfigureAwait(false));
    }

    private async Task<long> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string streamId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT version FROM {_schema}.mt_streams WHERE id = @stream", connection, transaction);
        command.Parameters.AddWithValue("stream", streamId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : 0;
    }

    /// <summary>
    /// The result of the earlier append when every event id is already in this stream, null when none is anywhere;
    /// refused when only some are, or when any is another stream's (ids are unique across the log).
    /// </summary>
    private async Task<AppendResult?> FindRetryAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string streamId, IReadOnlyList<EventData> events, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT id, version, seq_id, stream_id = @stream FROM {_schema}.mt_events WHERE id = ANY(@ids)",
            connection,
            transaction);
        command.Parameters.AddWithValue("stream", streamId);
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = events.Select(e => e.EventId).ToArray() });
        var stored = new List<(Guid, long, long)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!reader.GetBoolean(3))
                {
                    throw new PartialDuplicateAppendException(streamId);
                }

                stored.Add((reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        return AppendGuard.ResultOfRetry(streamId, events, stored);
    }

    /// <summary>What Marten raises when PostgreSQL refused the append: a version or stream already taken, or an event id already stored.</summary>
    private static bool IsRefusal(Exception ex)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is EventStreamUnexpectedMaxEventIdException or ExistingStreamIdCollisionException
                || inner is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or "MT003" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Applies Marten's schema (event tables, sequence, append function) once, whichever process gets there first.</summary>
    private async Task ApplyMartenSchemaAsync(CancellationToken cancellationToken)
    {
        // Processes starting together would race on CREATE TABLE. A transaction-scoped lock, held by a transaction of
        // our own while Marten works on its connections, serialises them; a session lock would outlive its use on a
        // pooled connection, since the pool only resets a connection when it is next opened.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            command.Parameters.AddWithValue("key", AdvisoryKey.For("marten-schema", _schema));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await _marten.Storage.ApplyAllConfiguredChangesToDatabaseAsync().ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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

    private static async Task<List<RecordedEvent>> ReadRecordedAsync(NpgsqlCommand command, CancellationToken cancellationToken)
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
                new EventMetadata(
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9)),
                reader.GetFieldValue<DateTimeOffset>(10)));
        }

        return rows;
    }
}
