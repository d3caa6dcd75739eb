using JasperFx.Events;
using Marten;
using Npgsql;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>
/// A stream folded into a decider's state by Marten, as <c>FetchForWriting</c> hands it over: the state, and the
/// events it was folded from as the log holds them (an inline read model folds the same events again inside the
/// append, and is given these rather than reading them a second time).
/// </summary>
/// <remarks>
/// Never stored (Marten folds it live). The constructor is not public: Marten would take a public one as a way to
/// create the aggregate from an event of type <typeparamref name="TState"/>.
/// </remarks>
public sealed class Folded<TState>
{
    internal Folded(TState state) => State = state;

    /// <summary>The stream's id: Marten requires one of any aggregate it knows, stored or not.</summary>
    public string Id { get; set; } = "";

    public TState State { get; private set; }

    public List<RecordedEvent> Recorded { get; } = [];

    internal void Evolve(Func<TState, object, TState> evolve, IEvent @event, RecordedEvent recorded)
    {
        State = evolve(State, @event.Data);
        Recorded.Add(recorded);
    }
}

/// <summary>One kind of stream that is changed through <see cref="IStreamWriting"/>: Marten folds it live for each write.</summary>
public interface IStreamFold
{
    void Register(global::Marten.StoreOptions marten);
}

/// <summary>
/// Marten's live aggregation of a stream into a decider's state: the decider's own pure <c>Evolve</c>, applied event
/// by event from the initial state, so what Marten folds for a write is exactly what the domain's tests prove.
/// </summary>
public sealed class StreamFold<TState> : global::Marten.Events.Aggregation.SingleStreamProjection<Folded<TState>, string>, IStreamFold
{
    private readonly TState _initial;
    private readonly Func<TState, object, TState> _evolve;

    public StreamFold(TState initial, Func<TState, object, TState> evolve)
    {
        _initial = initial;
        _evolve = evolve;
    }

    public void Register(global::Marten.StoreOptions marten)
    {
        ArgumentNullException.ThrowIfNull(marten);
        marten.Projections.Add(this, JasperFx.Events.Projections.ProjectionLifecycle.Live);
    }

    public override Folded<TState>? Evolve(Folded<TState>? snapshot, string id, IEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        snapshot ??= new Folded<TState>(_initial);
        snapshot.Evolve(_evolve, e, MartenEventLog.Recorded(e));
        return snapshot;
    }
}

/// <summary>
/// A stream fetched for writing with Marten's <c>FetchForWriting</c>, inside the transaction its append will commit
/// in: the folded state and version a decision is made on, and the Marten session that appends what was decided.
/// </summary>
public sealed class StreamWrite<TState> : IAsyncDisposable
{
    private readonly NpgsqlConnection? _ownedConnection;
    private int _disposed;

    internal StreamWrite(string streamId, IDocumentSession session, IEventStream<Folded<TState>> stream, TState initial, NpgsqlTransaction transaction, NpgsqlConnection? ownedConnection)
    {
        StreamId = streamId;
        Session = session;
        Stream = stream;
        State = stream.Aggregate is { } folded ? folded.State : initial;
        Recorded = stream.Aggregate?.Recorded ?? [];
        Version = VersionOf(stream.StartingVersion, Recorded);
        Transaction = transaction;
        _ownedConnection = ownedConnection;
    }

    public string StreamId { get; }

    public TState State { get; }

    /// <summary>The stream's version as fetched (0 when it does not exist): the version the append expects.</summary>
    public long Version { get; }

    public IReadOnlyList<RecordedEvent> Recorded { get; }

    /// <summary>
    /// The version the state was folded at. Marten reads the stream's version and its events in two statements of
    /// one batch, and under READ COMMITTED each statement has its own snapshot: a change committing between them
    /// leaves events past the version read. The events are what the state was folded from, so their last version is
    /// the one a decision was made at (Marten's own expectation, the older one, then refuses the append: a conflict,
    /// never a decision taken on a state its version does not name).
    /// </summary>
    internal static long VersionOf(long? versionRead, IReadOnlyList<RecordedEvent> recorded) =>
        Math.Max(versionRead ?? 0, recorded.Count == 0 ? 0 : recorded[^1].StreamVersion);

    internal IDocumentSession Session { get; }

    internal IEventStream<Folded<TState>> Stream { get; }

    internal NpgsqlTransaction Transaction { get; }

    /// <summary>The connection when the write is a transaction of its own (a request's), not a unit of work's.</summary>
    internal NpgsqlConnection? OwnedConnection => _ownedConnection;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await Session.DisposeAsync().ConfigureAwait(false);
        if (_ownedConnection is not null)
        {
            await Transaction.DisposeAsync().ConfigureAwait(false);
            await _ownedConnection.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>
/// The one way a stream is changed by a decision: fetch it for writing (Marten folds it), decide, append at the
/// version fetched. The log itself (a request: one stream, its own transaction) and a unit of work (a reaction:
/// several streams, one transaction) both offer it.
/// </summary>
public interface IStreamWriting
{
    Task<StreamWrite<TState>> FetchForWritingAsync<TState>(string streamId, TState initial, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends at the version <paramref name="stream"/> was fetched at. When the stream moved on meanwhile it throws
    /// <see cref="WrongExpectedVersionException"/>, unless every event id is already stored (a retry), whose original
    /// result it returns.
    /// </summary>
    Task<AppendResult> AppendAsync<TState>(StreamWrite<TState> stream, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);
}
