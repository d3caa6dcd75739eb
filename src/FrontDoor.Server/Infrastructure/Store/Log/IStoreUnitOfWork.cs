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

    Task CommitAsync(CancellationToken cancellationToken = default);
}
