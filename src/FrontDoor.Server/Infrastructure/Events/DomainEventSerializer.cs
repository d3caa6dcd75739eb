using System.Text.Json;
using FrontDoor.Domain;
using FrontDoor.EventStore;

namespace FrontDoor.Server.Infrastructure.Events;

/// <summary>Turns domain events into log entries and back, by their stored type names (never CLR names).</summary>
public static class DomainEventSerializer
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static EventData ToEventData(object domainEvent, Guid eventId, EventMetadata metadata) =>
        new(eventId, DomainEvents.TypeNameOf(domainEvent), JsonSerializer.Serialize(domainEvent, domainEvent.GetType(), Options), metadata);

    /// <summary>The domain event, or null for a stored type this version does not know (left for other readers).</summary>
    public static object? Deserialize(RecordedEvent recorded) =>
        DomainEvents.Types.TryGetValue(recorded.Type, out var type)
            ? JsonSerializer.Deserialize(recorded.Data, type, Options)
            : null;

    public static IEnumerable<object> DeserializeAll(IEnumerable<RecordedEvent> recorded) =>
        recorded.Select(Deserialize).OfType<object>();
}
