using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Infrastructure.Events;

/// <summary>
/// Where a change reads and writes a stream: the store itself (a request), or a unit of work (a reaction, whose
/// appends to several streams, and the reactions to them, commit together).
/// </summary>
/// <remarks>
/// <see cref="Append"/> is also given the stream as it was read for the decision, so the log need not read it again
/// for the read models it writes in the same transaction when the stream is still at that version.
/// </remarks>
public readonly record struct StreamLog(
    Func<string, CancellationToken, Task<IReadOnlyList<RecordedEvent>>> Read,
    Func<string, ExpectedVersion, IReadOnlyList<EventData>, IReadOnlyList<RecordedEvent>, CancellationToken, Task<AppendResult>> Append)
{
    public static StreamLog Of(IEventLog store) => new((stream, ct) => store.ReadStreamAsync(stream, cancellationToken: ct), store.AppendAsync);

    /// <remarks>A unit of work keeps the streams it read itself, so it is not handed them again.</remarks>
    public static StreamLog Of(IStoreUnitOfWork unitOfWork) => new(unitOfWork.ReadStreamAsync, (stream, expected, events, _, ct) => unitOfWork.AppendAsync(stream, expected, events, ct));
}

/// <summary>
/// The one way a stream changes, for requests and reactions alike: fold the stream, decide from the folded state,
/// turn what was decided into log entries, append at the version that was read. A stream someone changed in
/// between refuses the append (<see cref="WrongExpectedVersionException"/>) rather than taking a decision made on
/// an older state.
/// </summary>
public static class StreamChange
{
    public static async Task<Loaded<TState>> LoadAsync<TState>(StreamLog log, StreamKind<TState> kind, Guid id, CancellationToken cancellationToken)
    {
        var recorded = await log.Read(kind.StreamOf(id), cancellationToken).ConfigureAwait(false);
        return Streams.Fold(recorded, kind.Initial, kind.Evolve);
    }

    /// <summary>
    /// A caller's expected version (a request's <c>If-Match</c>) that is no longer the stream's refuses the change
    /// before anything is decided on a state the caller did not see.
    /// </summary>
    public static void RefuseStale<TState>(StreamKind<TState> kind, Guid id, long? expected, Loaded<TState> loaded)
    {
        if (expected is { } version && version != loaded.Version)
        {
            throw new WrongExpectedVersionException(kind.StreamOf(id), ExpectedVersion.Exact(version), loaded.Version);
        }
    }

    /// <summary>
    /// Appends <paramref name="decided"/> at the version <paramref name="loaded"/> was read at (nothing is written
    /// when nothing was decided) and returns the state and version after it.
    /// </summary>
    public static async Task<Changed<TState>> AppendAsync<TState>(
        StreamLog log,
        StreamKind<TState> kind,
        Guid id,
        Loaded<TState> loaded,
        IReadOnlyList<object> decided,
        Func<IReadOnlyList<object>, Task<EventData[]>> toEvents,
        CancellationToken cancellationToken)
    {
        if (decided.Count == 0)
        {
            return new Changed<TState>(loaded.State, loaded.Version, decided);
        }

        var events = await toEvents(decided).ConfigureAwait(false);
        var appended = await log.Append(kind.StreamOf(id), ExpectedVersion.Exact(loaded.Version), events, loaded.Recorded, cancellationToken).ConfigureAwait(false);
        return new Changed<TState>(decided.Aggregate(loaded.State, kind.Evolve), appended.StreamVersion, decided);
    }

    /// <summary>
    /// A reaction's change: <paramref name="decide"/> sees the whole folded stream, not the event that woke the
    /// reaction, and returns nothing when there is nothing (more) to do — so a cause handed over twice, or after
    /// a later event of the same stream, decides nothing the second time.
    /// </summary>
    /// <remarks><paramref name="toEvents"/> is given the stream and the version read, from which reactions derive their event ids.</remarks>
    public static async Task<Changed<TState>> ReactAsync<TState>(
        StreamLog log,
        StreamKind<TState> kind,
        Guid id,
        Func<TState, IReadOnlyList<object>> decide,
        Func<IReadOnlyList<object>, string, long, EventData[]> toEvents,
        CancellationToken cancellationToken)
    {
        var loaded = await LoadAsync(log, kind, id, cancellationToken).ConfigureAwait(false);
        return await AppendAsync(log, kind, id, loaded, decide(loaded.State), decided => Task.FromResult(toEvents(decided, kind.StreamOf(id), loaded.Version)), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A stream after a change: its state, its version (the ETag) and what was decided (empty when nothing was).</summary>
public sealed record Changed<TState>(TState State, long Version, IReadOnlyList<object> Decided);
