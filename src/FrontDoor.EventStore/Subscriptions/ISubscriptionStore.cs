using System.Data.Common;

namespace FrontDoor.EventStore.Subscriptions;

/// <summary>What a backend provides so subscriptions can checkpoint, park and hold exclusive ownership.</summary>
public interface ISubscriptionStore
{
    Task<long> LoadCheckpointAsync(string subscription, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CheckpointInfo>> ListCheckpointsAsync(CancellationToken cancellationToken = default);

    /// <summary>A transaction in which handler writes, the checkpoint and parking commit together.</summary>
    Task<IStoreUnitOfWork> BeginUnitOfWorkAsync(CancellationToken cancellationToken = default);

    /// <summary>Exclusive ownership of a subscription across every process sharing the store; null when another holds it.</summary>
    Task<ISubscriptionLease?> TryAcquireLeaseAsync(string subscription, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ParkedEvent>> ListParkedAsync(string? subscription = null, bool includeResolved = false, CancellationToken cancellationToken = default);

    /// <summary>Asks the subscription's active instance to hand its unresolved parked events to the handler again.</summary>
    Task<int> RequestReplayAsync(string subscription, CancellationToken cancellationToken = default);

    /// <summary>Cheap round trip used by readiness checks.</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken = default);
}

public interface IStoreUnitOfWork : IAsyncDisposable
{
    DbConnection Connection { get; }

    DbTransaction Transaction { get; }

    /// <summary>
    /// Appends inside this transaction, so a handler's new events commit together with its checkpoint: a redelivered
    /// event cannot raise them twice. Same semantics as <see cref="IEventStore.AppendAsync"/>.
    /// </summary>
    Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);

    /// <summary>Reads a stream inside this transaction, so a handler sees what it appended earlier in the same batch.</summary>
    Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>Compare-and-set: throws <see cref="CheckpointConflictException"/> when the checkpoint is not at <paramref name="expected"/>.</summary>
    Task AdvanceCheckpointAsync(string subscription, long expected, long position, CancellationToken cancellationToken = default);

    Task ParkAsync(string subscription, RecordedEvent recordedEvent, string failure, int attempts, CancellationToken cancellationToken = default);

    Task ResolveParkedAsync(long parkedId, CancellationToken cancellationToken = default);

    /// <summary>A replay of a parked event failed again: keep it parked with the new error and clear the request.</summary>
    Task RecordReplayFailureAsync(long parkedId, string failure, CancellationToken cancellationToken = default);

    Task CommitAsync(CancellationToken cancellationToken = default);
}

public interface ISubscriptionLease : IAsyncDisposable
{
    /// <summary>Cancelled when ownership is lost (for example the database connection holding the lock died).</summary>
    CancellationToken Lost { get; }
}

public sealed record CheckpointInfo(string Subscription, long Position, DateTimeOffset UpdatedAt);

public sealed record ParkedEvent(
    long Id,
    string Subscription,
    long Position,
    Guid EventId,
    string EventType,
    string StreamId,
    string Error,
    int Attempts,
    DateTimeOffset ParkedAt,
    DateTimeOffset? ReplayRequestedAt,
    DateTimeOffset? ResolvedAt);
