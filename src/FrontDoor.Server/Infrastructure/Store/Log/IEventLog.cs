namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>The event log: streams with optimistic concurrency, and one global order over all streams.</summary>
public interface IEventLog
{
    /// <summary>
    /// Appends atomically (all or nothing). When every event id is already in the stream the call is a retry
    /// and returns the original result without writing; when the stream is not at <paramref name="expected"/>
    /// it throws <see cref="WrongExpectedVersionException"/>.
    /// </summary>
    Task<AppendResult> AppendAsync(
        string streamId,
        ExpectedVersion expected,
        IReadOnlyList<EventData> events,
        CancellationToken cancellationToken = default);

    /// <summary>Events of one stream from <paramref name="fromVersion"/> (1-based, inclusive), in version order.</summary>
    Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(
        string streamId,
        long fromVersion = 1,
        int maxCount = int.MaxValue,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Events of every stream after <paramref name="afterPosition"/> (0 = from the start), in position order.
    /// Only events that can no longer be preceded by a late commit are returned, so a reader that resumes from the
    /// last position it saw never skips one.
    /// </summary>
    Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(
        long afterPosition,
        int maxCount,
        CancellationToken cancellationToken = default);

    /// <summary>The highest committed position (0 for an empty log).</summary>
    Task<long> ReadHeadPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>The stream's current version, 0 when it does not exist.</summary>
    Task<long> ReadStreamVersionAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>Completes when something may have been appended since the waiter was taken.</summary>
    AppendSignal Appended { get; }
}
