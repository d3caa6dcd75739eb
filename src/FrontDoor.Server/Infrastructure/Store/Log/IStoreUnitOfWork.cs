using System.Data.Common;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>One transaction over the log: what a reaction reads and appends, to several streams, commits together.</summary>
public interface IStoreUnitOfWork : IStreamWriting, IAsyncDisposable
{
    DbConnection Connection { get; }

    DbTransaction Transaction { get; }

    /// <summary>Appends inside this transaction; same semantics as <see cref="IEventLog.AppendAsync"/>.</summary>
    Task<AppendResult> AppendAsync(string streamId, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);

    /// <summary>Reads a stream inside this transaction, so a reaction sees what it appended earlier in it.</summary>
    Task<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the stream's row lock until this transaction ends, waiting for any other transaction holding it: fetched
    /// after this, the stream is read as the last writer committed it, and no one can append to it before this commits.
    /// Two reactions that write one stream then queue instead of deciding on the same state and one being refused.
    /// A stream not yet created has no row to lock.
    /// </summary>
    Task LockStreamAsync(string streamId, CancellationToken cancellationToken = default);

    Task CommitAsync(CancellationToken cancellationToken = default);
}
