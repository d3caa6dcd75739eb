using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Infrastructure.Events;

/// <summary>Loading a decider's state from its stream, and appending what it decided.</summary>
public static class Streams
{
    public static async Task<Loaded<TState>> LoadAsync<TState>(IEventLog store, string streamId, TState initial, Func<TState, object, TState> evolve, CancellationToken cancellationToken)
    {
        var recorded = await store.ReadStreamAsync(streamId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Fold(recorded, initial, evolve);
    }

    /// <summary>A stream of <paramref name="kind"/> folded for reading (a change fetches its stream for writing instead).</summary>
    public static Task<Loaded<TState>> LoadAsync<TState>(IEventLog store, StreamKind<TState> kind, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return LoadAsync(store, kind.StreamOf(id), kind.Initial, kind.Evolve, cancellationToken);
    }

    public static async Task<Loaded<TState>> LoadAsync<TState>(IStoreUnitOfWork unitOfWork, string streamId, TState initial, Func<TState, object, TState> evolve, CancellationToken cancellationToken)
    {
        var recorded = await unitOfWork.ReadStreamAsync(streamId, cancellationToken).ConfigureAwait(false);
        return Fold(recorded, initial, evolve);
    }

    /// <summary>The state with the subjects' personal fields opened, for the few readers that show or index them.</summary>
    public static async Task<Loaded<TState>> LoadOpenedAsync<TState>(IEventLog store, PersonalData.PersonalDataVault vault, string streamId, TState initial, Func<TState, object, TState> evolve, CancellationToken cancellationToken)
    {
        var recorded = await store.ReadStreamAsync(streamId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Fold(await vault.OpenAsync(recorded, cancellationToken).ConfigureAwait(false), initial, evolve);
    }

    /// <summary>
    /// Event data for what a handler decided in reaction to <paramref name="cause"/>. The ids are derived from the
    /// cause, so deciding the same thing again for the same cause is recognised by the log as a retry.
    /// </summary>
    public static EventData[] Caused(IReadOnlyList<object> decided, RecordedEvent cause, string streamId, string actor)
    {
        var metadata = new EventMetadata(
            cause.Metadata.CorrelationId ?? cause.EventId.ToString("D"),
            cause.EventId.ToString("D"),
            actor,
            System.Diagnostics.Activity.Current?.Id ?? cause.Metadata.TraceParent);
        return decided
            .Select((e, i) => DomainEventSerializer.ToEventData(
                e,
                FrontDoor.Domain.DeterministicId.From("caused", cause.EventId.ToString("D"), streamId, i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                metadata))
            .ToArray();
    }

    public static EventData[] Commanded(IReadOnlyList<object> decided, EventMetadata metadata) =>
        decided.Select(e => DomainEventSerializer.ToEventData(e, Guid.NewGuid(), metadata)).ToArray();

    internal static Loaded<TState> Fold<TState>(IReadOnlyList<RecordedEvent> recorded, TState initial, Func<TState, object, TState> evolve)
    {
        var state = DomainEventSerializer.DeserializeAll(recorded).Aggregate(initial, evolve);
        return new Loaded<TState>(state, recorded.Count == 0 ? 0 : recorded[^1].StreamVersion, recorded);
    }
}

public sealed record Loaded<TState>(TState State, long Version, IReadOnlyList<RecordedEvent> Recorded);
