using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Infrastructure.Events;

/// <summary>
/// The one way a stream changes, for requests and reactions alike: Marten fetches the stream for writing, folded by
/// its decider; the decision is made on that state; what was decided becomes log entries, appended at the version
/// fetched. A stream someone changed in between refuses the append (<see cref="WrongExpectedVersionException"/>)
/// rather than taking a decision made on an older state. The writer is the log (a request: one stream, a
/// transaction of its own) or a unit of work (a reaction: several streams, one transaction).
/// </summary>
public static class StreamChange
{
    /// <summary>The stream fetched for writing; appending to it commits (a request's) or joins the unit of work.</summary>
    public static Task<StreamWrite<TState>> FetchAsync<TState>(IStreamWriting writer, StreamKind<TState> kind, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.FetchForWritingAsync(kind.StreamOf(id), kind.Initial, cancellationToken);
    }

    /// <summary>
    /// A caller's expected version (a request's <c>If-Match</c>) that is no longer the stream's refuses the change
    /// before anything is decided on a state the caller did not see.
    /// </summary>
    public static void RefuseStale<TState>(StreamKind<TState> kind, Guid id, long? expected, StreamWrite<TState> fetched)
    {
        if (expected is { } version && version != fetched.Version)
        {
            throw new WrongExpectedVersionException(kind.StreamOf(id), ExpectedVersion.Exact(version), fetched.Version);
        }
    }

    /// <summary>
    /// Appends <paramref name="decided"/> at the version <paramref name="fetched"/> was fetched at (nothing is written
    /// when nothing was decided) and returns the state and version after it.
    /// </summary>
    public static async Task<Changed<TState>> AppendAsync<TState>(
        IStreamWriting writer,
        StreamKind<TState> kind,
        StreamWrite<TState> fetched,
        IReadOnlyList<object> decided,
        Func<IReadOnlyList<object>, Task<EventData[]>> toEvents,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(fetched);
        if (decided.Count == 0)
        {
            return new Changed<TState>(fetched.State, fetched.Version, decided);
        }

        var events = await toEvents(decided).ConfigureAwait(false);
        var appended = await writer.AppendAsync(fetched, events, cancellationToken).ConfigureAwait(false);
        return new Changed<TState>(decided.Aggregate(fetched.State, kind.Evolve), appended.StreamVersion, decided);
    }

    /// <summary>
    /// A reaction's change: <paramref name="decide"/> sees the whole folded stream, not the event that woke the
    /// reaction, and returns nothing when there is nothing (more) to do — so a cause handed over twice, or after
    /// a later event of the same stream, decides nothing the second time.
    /// </summary>
    /// <remarks><paramref name="toEvents"/> is given the stream and the version fetched, from which reactions derive their event ids.</remarks>
    public static async Task<Changed<TState>> ReactAsync<TState>(
        IStreamWriting writer,
        StreamKind<TState> kind,
        Guid id,
        Func<TState, IReadOnlyList<object>> decide,
        Func<IReadOnlyList<object>, string, long, EventData[]> toEvents,
        CancellationToken cancellationToken)
    {
        var fetched = await FetchAsync(writer, kind, id, cancellationToken).ConfigureAwait(false);
        await using (fetched.ConfigureAwait(false))
        {
            return await AppendAsync(writer, kind, fetched, decide(fetched.State), decided => Task.FromResult(toEvents(decided, fetched.StreamId, fetched.Version)), cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>A stream after a change: its state, its version (the ETag) and what was decided (empty when nothing was).</summary>
public sealed record Changed<TState>(TState State, long Version, IReadOnlyList<object> Decided);
