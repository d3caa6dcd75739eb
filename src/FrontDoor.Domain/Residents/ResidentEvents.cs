namespace FrontDoor.Domain.Residents;

public interface IResidentEvent : IDomainEvent
{
    Guid ResidentId { get; }
}

/// <summary><see cref="MatchKey"/> is null when the details were too incomplete to match on.</summary>
public sealed record ResidentRegistered(
    Guid ResidentId,
    string Name,
    DateOnly? DateOfBirth,
    string? Postcode,
    string? Phone,
    string? Email,
    string? MatchKey,
    string Actor,
    DateTimeOffset At) : IResidentEvent, INamedEvent
{
    public static string EventType => "resident-registered.v1";
}

/// <summary>Carries the full corrected details so the record never depends on replaying partial patches.</summary>
public sealed record ResidentDetailsCorrected(
    Guid ResidentId,
    string Name,
    DateOnly? DateOfBirth,
    string? Postcode,
    string? Phone,
    string? Email,
    string? MatchKey,
    string Actor,
    DateTimeOffset At) : IResidentEvent, INamedEvent
{
    public static string EventType => "resident-details-corrected.v1";
}

public sealed record ResidentContactLinked(
    Guid ResidentId,
    Guid ContactId,
    string Channel,
    string Actor,
    DateTimeOffset At) : IResidentEvent, INamedEvent
{
    public static string EventType => "resident-contact-linked.v1";
}
