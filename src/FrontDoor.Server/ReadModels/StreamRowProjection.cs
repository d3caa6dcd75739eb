using FrontDoor.EventStore;
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
/// reader finds the model behind the log, and a rolled-back append leaves no row. Rows are only replaced by a newer
/// last position, so a rebuild's rows and the live ones never overwrite each other backwards.
/// </summary>
public abstract class StreamRowProjection<TState> : IProjection, IRebuildableReadModel
{
    private string? _liveUpsert;

    public abstract string ProjectionName { get; }

    public abstract string Table { get; }

    public abstract string Category { get; }

    protected abstract TState Initial { get; }

    /// <summary>
    /// An upsert into <c>{table}</c> ending in <c>WHERE {table}.last_position &lt; excluded.last_position</c>;
    /// <c>@position</c> is bound for it. The placeholder lets a rebuild write the same rows into a shadow table.
    /// </summary>
    protected abstract string UpsertSql { get; }

    /// <summary>Removes the row of a stream whose state no longer exists (an erased resident); <c>@id</c> is bound.</summary>
    protected virtual string? DeleteSql => null;

    /// <summary>Whether the rows hold personal data, so the stream's sealed fields must be opened to build them.</summary>
    public virtual bool ReadsPersonalData => false;

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var appended in events.Where(e => StreamName.CategoryOf(e.StreamKey!) == Category).GroupBy(e => e.StreamKey!, StringComparer.Ordinal))
        {
            var recorded = await MartenEventLog.StreamAsAppendedAsync(operations, appended.ToList(), cancellation).ConfigureAwait(false);
            if (ReadsPersonalData)
            {
                recorded = await PersonalDataVault.OpenAsync(((IQuerySession)operations).Connection, null, recorded, cancellation).ConfigureAwait(false);
            }

            // The positions of the events being appended are drawn by the append's own statement, which runs first.
            var upsert = (_liveUpsert ??= UpsertInto(Table)).Replace("@position", MartenEventLog.LastPositionOfStream, StringComparison.Ordinal);
            if (RowWrite(Streams.Fold(recorded, Initial, Evolve), Table, upsert) is { } write)
            {
                QueuedSql.Queue(operations, write.Sql, [.. write.Parameters, ("stream", appended.Key)]);
            }
        }
    }

    /// <summary>Writes one stream's row into <paramref name="table"/> from the whole stream, read in <paramref name="unitOfWork"/>.</summary>
    public async Task WriteRowAsync(IStoreUnitOfWork unitOfWork, string streamId, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        var loaded = ReadsPersonalData
            ? await Streams.LoadOpenedAsync(unitOfWork, streamId, Initial, Evolve, cancellationToken).ConfigureAwait(false)
            : await Streams.LoadAsync(unitOfWork, streamId, Initial, Evolve, cancellationToken).ConfigureAwait(false);
        if (RowWrite(loaded, table, UpsertInto(table)) is { } write)
        {
            await Sql.ExecuteAsync(unitOfWork.Connection, unitOfWork.Transaction, write.Sql, cancellationToken, write.Parameters).ConfigureAwait(false);
        }
    }

    public string UpsertInto(string table) => UpsertSql.Replace("{table}", table, StringComparison.Ordinal);

    public IStreamRowFolder NewFolder() => new Folder(this);

    protected abstract TState Evolve(TState state, object domainEvent);

    protected abstract bool Exists(TState state);

    protected abstract IEnumerable<(string Name, object? Value)> Row(TState state, StreamTip tip);

    /// <summary>The statement that brings a stream's row to its folded state: an upsert, a delete, or none for an empty stream.</summary>
    private (string Sql, (string Name, object? Value)[] Parameters)? RowWrite(Loaded<TState> loaded, string table, string upsert)
    {
        if (loaded.Recorded.Count == 0)
        {
            return null;
        }

        var tip = StreamTip.Of(loaded.Recorded[^1], DomainEventSerializer.Deserialize(loaded.Recorded[^1]));
        if (Exists(loaded.State))
        {
            return (upsert, RowWithPosition(loaded.State, tip));
        }

        // The whole stream decides, not the event at hand, so a replayed earlier event cannot bring back a row that a
        // later event removed.
        return DeleteSql is { } delete
            ? (delete.Replace("{table}", table, StringComparison.Ordinal), [("id", Row(loaded.State, tip).First(p => p.Name == "id").Value)])
            : null;
    }

    private (string Name, object? Value)[] RowWithPosition(TState state, StreamTip tip) =>
        Row(state, tip).Append(("position", (object?)tip.Position)).ToArray();

    /// <summary>Folds the log forward in memory, one state per stream, so a rebuild reads every event once.</summary>
    private sealed class Folder(StreamRowProjection<TState> projection) : IStreamRowFolder
    {
        private readonly Dictionary<string, (TState State, StreamTip Tip)> _streams = new(StringComparer.Ordinal);

        public int Streams => _streams.Count;

        public void Apply(RecordedEvent recordedEvent)
        {
            if (StreamName.CategoryOf(recordedEvent.StreamId) != projection.Category || DomainEventSerializer.Deserialize(recordedEvent) is not { } domainEvent)
            {
                return;
            }

            var state = _streams.TryGetValue(recordedEvent.StreamId, out var known) ? known.State : projection.Initial;
            _streams[recordedEvent.StreamId] = (projection.Evolve(state, domainEvent), StreamTip.Of(recordedEvent, domainEvent));
        }

        public IEnumerable<(string Name, object? Value)[]> Rows() =>
            _streams.Values.Where(s => projection.Exists(s.State)).Select(s => projection.RowWithPosition(s.State, s.Tip));
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

/// <summary>A read model that can be rebuilt from the log into a shadow table and swapped in.</summary>
public interface IRebuildableReadModel
{
    /// <summary>The name operators know the read model by.</summary>
    string ProjectionName { get; }

    string Table { get; }

    string Category { get; }

    string UpsertInto(string table);

    bool ReadsPersonalData { get; }

    IStreamRowFolder NewFolder();

    /// <summary>Writes one stream's row into <paramref name="table"/> from the whole stream, as the live projection does.</summary>
    Task WriteRowAsync(IStoreUnitOfWork unitOfWork, string streamId, string table, CancellationToken cancellationToken);
}

public interface IStreamRowFolder
{
    int Streams { get; }

    void Apply(RecordedEvent recordedEvent);

    IEnumerable<(string Name, object? Value)[]> Rows();
}
