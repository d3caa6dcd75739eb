using FrontDoor.EventStore;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;

namespace FrontDoor.Server.ReadModels;

/// <summary>
/// A read model with one row per stream of a category. On any event of such a stream, the row is rebuilt from the
/// whole stream (read inside the unit of work) and written only if the stream's last position is newer than the
/// row's, so a redelivered or replayed event leaves the row as it is.
/// </summary>
public abstract class StreamRowProjection<TState> : ISubscriptionHandler
{
    protected abstract string Category { get; }

    protected abstract TState Initial { get; }

    /// <summary>An upsert ending in <c>WHERE table.last_position &lt; excluded.last_position</c>; <c>@position</c> is bound for it.</summary>
    protected abstract string UpsertSql { get; }

    public async ValueTask HandleAsync(RecordedEvent recordedEvent, SubscriptionContext context, CancellationToken cancellationToken)
    {
        if (StreamName.CategoryOf(recordedEvent.StreamId) != Category)
        {
            return;
        }

        var uow = context.UnitOfWork;
        var loaded = await Streams.LoadAsync(uow, recordedEvent.StreamId, Initial, Evolve, cancellationToken).ConfigureAwait(false);
        if (!Exists(loaded.State))
        {
            return;
        }

        var parameters = Row(loaded).Append(("position", (object?)loaded.Recorded[^1].Position)).ToArray();
        await Sql.ExecuteAsync(uow.Connection, uow.Transaction, UpsertSql, cancellationToken, parameters).ConfigureAwait(false);
    }

    protected abstract TState Evolve(TState state, object domainEvent);

    protected abstract bool Exists(TState state);

    protected abstract IEnumerable<(string Name, object? Value)> Row(Loaded<TState> loaded);
}
