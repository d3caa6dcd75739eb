using Marten;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>An event of an append as what reacts to it sees it: its place in its stream and the domain event it was written from.</summary>
public sealed record AppendedEvent(string StreamId, long Version, EventData Event);

/// <summary>
/// Where the log hands what reacts to an append, inside the append's own transaction: a reaction is then recorded
/// exactly when its cause is — never for an append that rolled back, never missing for one that committed.
/// </summary>
public interface IAppendOutbox
{
    /// <summary>
    /// Records the reactions to <paramref name="appended"/> with the Marten <paramref name="session"/> that commits
    /// them, to be sent once it has. Returns whether any event had a reaction.
    /// </summary>
    Task<bool> EnlistAsync(IDocumentSession session, IReadOnlyList<AppendedEvent> appended, CancellationToken cancellationToken);
}

/// <summary>A log nothing reacts to: the event store's own tests and the operators' read-only commands.</summary>
public sealed class NoReactions : IAppendOutbox
{
    public static NoReactions Instance { get; } = new();

    public Task<bool> EnlistAsync(IDocumentSession session, IReadOnlyList<AppendedEvent> appended, CancellationToken cancellationToken) =>
        Task.FromResult(false);
}
