using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace FrontDoor.Server.ReadModels;

/// <summary>
/// A read model with one row per stream of a category, kept by Marten inline: inside every append's transaction, the
/// row of each stream appended to is rebuilt from the whole stream (its stored events, read in that transaction,
/// and the new ones) and written in the append's own batch. The row commits or rolls back with the events, so no
/// reader finds the model behind the log, and a rolled-back append leaves no row. Marten's daemon rebuilds the same
/// rows from the stored log (<c>rebuild</c>): there every event handed over is already stored, so each stream is
/// folded from the log up to the newest of its events in the page. Rows are only replaced from a position at least
/// as new, so a rebuild's rows and the live ones never overwrite each other backwards.
/// </summary>
public abstract class StreamRowProjection<TState> : IProjection, IRebuildableProjection
{
    private string? _liveUpsert;
    private string? _storedUpsert;

    public abstract string ProjectionName { get; }

    public abstract string Table { get; }

    public abstract string Category { get; }

    protected abstract TState Initial { get; }

    /// <summary>
    /// An upsert into <c>{table}</c> ending in <c>WHERE {table}.last_position &lt;= excluded.last_position</c>;
    /// <c>@position</c> is bound for it. At an equal position the row is the same fold of the same events, except where
    /// a rebuild is repairing it.
    /// </summary>
    protected abstract string UpsertSql { get; }

    /// <summary>Removes the row of a stream whose state no longer exists (an erased resident); <c>@id</c> is bound.</summary>
    protected virtual string? DeleteSql => null;

    /// <summary>The key ring, for a model whose rows are built from personal data: the stream's sealed fields are opened to build them.</summary>
    protected virtual PersonalDataKeys? PersonalData => null;

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(events);
        var ofCategory = events.Where(e => StreamName.CategoryOf(e.StreamKey!) == Category).ToList();
        if (ofCategory.Count == 0)
        {
            return;
        }

        // An append hands over the events it is writing, with the JSON prepared for them; the daemon hands over
        // events it read from the log, which have none.
        if (PreparedEventSerializer.TryGetPrepared(ofCategory[0].Data, out _))
        {
            await ApplyAppendedAsync(operations, ofCategory, cancellation).ConfigureAwait(false);
        }
        else
        {
            await ApplyStoredAsync(operations, ofCategory, cancellation).ConfigureAwait(false);
        }
    }

    public string UpsertInto(string table) => UpsertSql.Replace("{table}", table, StringComparison.Ordinal);

    protected abstract TState Evolve(TState state, object domainEvent);

    protected abstract bool Exists(TState state);

    protected abstract IEnumerable<(string Name, object? Value)> Row(TState state, StreamTip tip);

    private async Task ApplyAppendedAsync(IDocumentOperations operations, List<IEvent> events, CancellationToken cancellation)
    {
        foreach (var appended in events.GroupBy(e => e.StreamKey!, StringComparer.Ordinal))
        {
            var recorded = await MartenEventLog.StreamAsAppendedAsync(operations, appended.ToList(), cancellation).ConfigureAwait(false);
            if (PersonalData is { } ring)
            {
                recorded = await PersonalDataVault.OpenAsync(((IQuerySession)operations).Connection!, null, recorded, ring, cancellation).ConfigureAwait(false);
            }

            // The positions of the events being appended are drawn by the append's own statement, which runs first.
            var upsert = (_liveUpsert ??= UpsertInto(Table)).Replace("@position", MartenEventLog.LastPositionOfStream, StringComparison.Ordinal);
            if (RowWrite(Streams.Fold(recorded, Initial, Evolve), upsert) is { } write)
            {
                QueuedSql.Queue(operations, write.Sql, [.. write.Parameters, ("stream", appended.Key)]);
            }
        }
    }

    /// <summary>
    /// A page of the stored log: each stream is read once, up to the newest of its events in the page, on a
    /// connection of its own (the daemon's session has none open while it projects), with sealed fields opened a page
    /// at a time; an erased subject's fields simply stay null.
    /// </summary>
    private async Task ApplyStoredAsync(IDocumentOperations operations, List<IEvent> events, CancellationToken cancellation)
    {
        var upTo = events.GroupBy(e => e.StreamKey!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(e => e.Version), StringComparer.Ordinal);
        await using var connection = operations.Database.CreateConnection();
        await connection.OpenAsync(cancellation).ConfigureAwait(false);
        var streams = await MartenEventLog.ReadStreamsUpToAsync(connection, upTo, cancellation).ConfigureAwait(false);
        var upsert = _storedUpsert ??= UpsertInto(Table);
        foreach (var (streamId, stored) in streams)
        {
            var recorded = PersonalData is { } ring
                ? await PersonalDataVault.OpenAsync(connection, null, stored, ring, cancellation).ConfigureAwait(false)
                : stored;
            if (RowWrite(Streams.Fold(recorded, Initial, Evolve), upsert) is { } write)
            {
                QueuedSql.Queue(operations, write.Sql, write.Parameters);
            }
        }
    }

    /// <summary>The statement that brings a stream's row to its folded state: an upsert, a delete, or none for an empty stream.</summary>
    private (string Sql, (string Name, object? Value)[] Parameters)? RowWrite(Loaded<TState> loaded, string upsert)
    {
        if (loaded.Recorded.Count == 0)
        {
            return null;
        }

        var tip = StreamTip.Of(loaded.Recorded[^1], DomainEventSerializer.Deserialize(loaded.Recorded[^1]));
        if (Exists(loaded.State))
        {
            return (upsert, Row(loaded.State, tip).Append(("position", (object?)tip.Position)).ToArray());
        }

        // The whole stream decides, not the event at hand, so a replayed earlier event cannot bring back a row that a
        // later event removed.
        return DeleteSql is { } delete
            ? (delete.Replace("{table}", Table, StringComparison.Ordinal), [("id", Row(loaded.State, tip).First(p => p.Name == "id").Value)])
            : null;
    }
}

/// <summary>The last event of a stream, as far as a row needs it.</summary>
public readonly record struct StreamTip(long Version, long Position, DateTimeOffset At)
{
    /// <summary>
    /// The time is the one the event records (when it happened, as its decider was told), not when the log stored
    /// it: a row written inline, before the database has stamped the event, and a rebuilt one then agree.
    /// </summary>
    public static StreamTip Of(RecordedEvent recorded, object? domainEvent) =>
        new(recorded.StreamVersion, recorded.Position, domainEvent is FrontDoor.Domain.IDomainEvent happened ? happened.At : recorded.Timestamp);
}
