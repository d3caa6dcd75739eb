using System.Text.Json;
using System.Text.Json.Nodes;
using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Infrastructure.Events;

/// <summary>Turns domain events into log entries and back, by their stored type names (never CLR names).</summary>
public static class DomainEventSerializer
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// For events without personal fields. An event with any is refused here, so plaintext personal data can never
    /// reach the log by a forgotten call: it goes through <see cref="PersonalDataVault"/>, which seals it.
    /// </summary>
    public static EventData ToEventData(object domainEvent, Guid eventId, EventMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (SealedFields.HoldsPersonalData(domainEvent.GetType()))
        {
            throw new InvalidOperationException($"{DomainEvents.TypeNameOf(domainEvent)} holds personal data; append it through the personal data vault, which seals it.");
        }

        return new(eventId, domainEvent, DomainEvents.TypeNameOf(domainEvent), JsonSerializer.Serialize(domainEvent, domainEvent.GetType(), Options), metadata);
    }

    public static EventData ToSealedEventData(IPersonalDataEvent domainEvent, Guid eventId, EventMetadata metadata, Guid subject, byte[] key)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var typeName = DomainEvents.TypeNameOf(domainEvent);
        var json = JsonSerializer.SerializeToNode(domainEvent, domainEvent.GetType(), Options)!.AsObject();
        SealedFields.Seal(json, typeName, SealedFields.Of(domainEvent.GetType()), subject, key);
        return new(eventId, domainEvent, typeName, json.ToJsonString(), metadata);
    }

    /// <summary>The event with its personal fields left out (null): what is written for a subject who is already erased.</summary>
    public static EventData ToEventDataWithoutPersonalFields(IPersonalDataEvent domainEvent, Guid eventId, EventMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var json = JsonSerializer.SerializeToNode(domainEvent, domainEvent.GetType(), Options)!.AsObject();
        foreach (var field in SealedFields.Of(domainEvent.GetType()))
        {
            json[field] = null;
        }

        return new(eventId, domainEvent, DomainEvents.TypeNameOf(domainEvent), json.ToJsonString(), metadata);
    }

    /// <summary>
    /// The domain event, or null for a stored type this version does not know (left for other readers). Sealed
    /// personal fields read as null: only a reader that opened the event through the vault sees them.
    /// </summary>
    public static object? Deserialize(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return DomainEvents.Types.TryGetValue(recorded.Type, out var type) ? FromStored(recorded.Data, type) : null;
    }

    /// <summary>An event of <paramref name="type"/> from the JSON the log holds, its sealed personal fields read as null.</summary>
    public static object FromStored(string data, Type type)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(type);
        var personal = SealedFields.Of(type);
        if (personal.Count == 0 || !SealedFields.MayHoldSealedFields(data))
        {
            return JsonSerializer.Deserialize(data, type, Options)!;
        }

        // Most sealed events (a contact's summary) have only text personal fields: deserialise once and clear them.
        if (SealedFields.HasOnlyTextFields(type))
        {
            var domainEvent = JsonSerializer.Deserialize(data, type, Options)!;
            SealedFields.BlankText(domainEvent);
            return domainEvent;
        }

        var json = JsonNode.Parse(data)!.AsObject();
        SealedFields.Blank(json, personal);
        return json.Deserialize(type, Options)!;
    }

    public static IEnumerable<object> DeserializeAll(IEnumerable<RecordedEvent> recorded) =>
        recorded.Select(Deserialize).OfType<object>();
}
