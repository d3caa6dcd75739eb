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
public abstract class StreamRowProjection<TState> : ISubscriptionHandler, IRebuildableReadModel
{
    private string? _liveUpsert;

    public abstract string Subscription { get; }

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

    public async ValueTask HandleAsync(RecordedEvent recordedEvent, SubscriptionContext context, CancellationToken cancellationToken)
    {
        if (StreamName.CategoryOf(recordedEvent.StreamId) != Category)
        {
            return;
        }

        await WriteRowAsync(context.UnitOfWork, recordedEvent.StreamId, Table, cancellationToken).ConfigureAwait(false);
    }

    public Task WriteRowAsync(IStoreUnitOfWork unitOfWork, string streamId, string table, CancellationToken cancellationToken) =>
        WriteRowAsync(unitOfWork, streamId, table, table == Table ? _liveUpsert ??= UpsertInto(Table) : UpsertInto(table), cancellationToken);

    public string UpsertInto(string table) => UpsertSql.Replace("{table}", table, StringComparison.Ordinal);

    public IStreamRowFolder NewFolder() => new Folder(this);

    protected abstract TState Evolve(TState state, object domainEvent);

    protected abstract bool Exists(TState state);

    protected abstract IEnumerable<(string Name, object? Value)> Row(TState state, StreamTip tip);

    private async Task WriteRowAsync(IStoreUnitOfWork uow, string streamId, string table, string upsert, CancellationToken cancellationToken)
    {
        var loaded = ReadsPersonalData
            ? await Streams.LoadOpenedAsync(uow, streamId, Initial, Evolve, cancellationToken).ConfigureAwait(false)
            : await Streams.LoadAsync(uow, streamId, Initial, Evolve, cancellationToken).ConfigureAwait(false);
        if (loaded.Recorded.Count == 0)
        {
            return;
        }

        var tip = StreamTip.Of(loaded.Recorded[^1]);
        if (!Exists(loaded.State))
        {
            // The whole stream decides, not the event at hand, so a redelivered earlier event cannot bring back a
            // row that a later event removed.
            if (DeleteSql is { } delete)
            {
                var id = Row(loaded.State, tip).First(p => p.Name == "id").Value;
                await Sql.ExecuteAsync(uow.Connection, uow.Transaction, delete.Replace("{table}", table, StringComparison.Ordinal), cancellationToken, ("id", id)).ConfigureAwait(false);
            }

            return;
        }

        await Sql.ExecuteAsync(uow.Connection, uow.Transaction, upsert, cancellationToken, RowWithPosition(loaded.State, tip)).ConfigureAwait(false);
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
            _streams[recordedEvent.StreamId] = (projection.Evolve(state, domainEvent), StreamTip.Of(recordedEvent));
        }

        public IEnumerable<(string Name, object? Value)[]> Rows() =>
            _streams.Values.Where(s => projection.Exists(s.State)).Select(s => projection.RowWithPosition(s.State, s.Tip));
    }
}

/// <summary>The last event of a stream, as far as a row needs it.</summary>
public readonly record struct StreamTip(long Version, long Position, DateTimeOffset At)
{
    public static StreamTip Of(RecordedEvent recorded) => new(recorded.StreamVersion, recorded.Position, recorded.Timestamp);
}

/// <summary>A read model that can be rebuilt from the log into a shadow table and swapped in.</summary>
public interface IRebuildableReadModel
{
    /// <summary>The subscription that keeps the live table up to date.</summary>
    string Subscription { get; }

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
