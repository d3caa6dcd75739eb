namespace FrontDoor.EventStore;

/// <summary>Who and what caused an event; kept beside the payload so traces and audits survive replay.</summary>
public sealed record EventMetadata(
    string? CorrelationId = null,
    string? CausationId = null,
    string? Actor = null,
    string? TraceParent = null)
{
    public static EventMetadata Empty { get; } = new();
}

/// <summary>An event to append. <paramref name="Type"/> is the stored type name (e.g. "contact-received.v1"), never a CLR name.</summary>
public sealed record EventData(Guid EventId, string Type, string Data, EventMetadata Metadata)
{
    public EventData(Guid eventId, string type, string data)
        : this(eventId, type, data, EventMetadata.Empty)
    {
    }
}

/// <summary>An event as the log holds it.</summary>
public sealed record RecordedEvent(
    long Position,
    string StreamId,
    long StreamVersion,
    Guid EventId,
    string Type,
    string Data,
    EventMetadata Metadata,
    DateTimeOffset Timestamp);

/// <summary>The stream's version and the global position of the last event of an append.</summary>
public sealed record AppendResult(long StreamVersion, long Position);
