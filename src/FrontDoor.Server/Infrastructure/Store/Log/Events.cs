namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>Who and what caused an event; kept beside the payload so traces and audits survive replay.</summary>
public sealed record EventMetadata(
    string? CorrelationId = null,
    string? CausationId = null,
    string? Actor = null,
    string? TraceParent = null)
{
    public static EventMetadata Empty { get; } = new();
}

/// <summary>
/// An event to append. <paramref name="Type"/> is the stored type name (e.g. "contact-received.v1"), never a CLR name;
/// <paramref name="Data"/> is exactly what is stored (personal fields already sealed); <paramref name="Event"/> is the
/// domain event it was written from, which is how the log knows the event's type.
/// </summary>
public sealed record EventData(Guid EventId, object Event, string Type, string Data, EventMetadata Metadata);

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
