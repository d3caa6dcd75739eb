namespace FrontDoor.Domain.Residents;

public interface IResidentEvent : IDomainEvent
{
    Guid ResidentId { get; }
}

/// <summary>
/// <see cref="MatchKey"/> is null when the details were too incomplete to match on. Every personal field reads as
/// null once the resident's key is gone.
/// </summary>
public sealed record ResidentRegistered(
    Guid ResidentId,
    [property: PersonalData] string? Name,
    [property: PersonalData] DateOnly? DateOfBirth,
    [property: PersonalData] string? Postcode,
    [property: PersonalData] string? Phone,
    [property: PersonalData] string? Email,
    [property: PersonalData] string? MatchKey,
    string Actor,
    DateTimeOffset At) : IResidentEvent, IPersonalDataEvent, INamedEvent
{
    public Guid DataSubjectId() => ResidentId;

    public static string EventType => "resident-registered.v1";
}

/// <summary>Carries the full corrected details so the record never depends on replaying partial patches.</summary>
public sealed record ResidentDetailsCorrected(
    Guid ResidentId,
    [property: PersonalData] string? Name,
    [property: PersonalData] DateOnly? DateOfBirth,
    [property: PersonalData] string? Postcode,
    [property: PersonalData] string? Phone,
    [property: PersonalData] string? Email,
    [property: PersonalData] string? MatchKey,
    string Actor,
    DateTimeOffset At) : IResidentEvent, IPersonalDataEvent, INamedEvent
{
    public Guid DataSubjectId() => ResidentId;

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

/// <summary>What the resident agreed to share, with which of the council's services and which partners, and how.</summary>
public sealed record ResidentConsentGiven(
    Guid ResidentId,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> Partners,
    string Method,
    Guid? ContactId,
    string Actor,
    DateTimeOffset At) : IResidentEvent, INamedEvent
{
    public static string EventType => "resident-consent-given.v1";
}

public sealed record ResidentConsentWithdrawn(
    Guid ResidentId,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> Partners,
    string Method,
    Guid? ContactId,
    string Actor,
    DateTimeOffset At) : IResidentEvent, INamedEvent
{
    public static string EventType => "resident-consent-withdrawn.v1";
}

/// <summary>
/// Two records were found to be the same person and merged: this record holds <see cref="MergedResidentId"/>'s
/// contacts, referrals and history from now on, and both histories are kept. The reason is what staff wrote about
/// the resident, sealed under their key.
/// </summary>
public sealed record ResidentMerged(
    Guid ResidentId,
    Guid MergedResidentId,
    [property: PersonalData] string? Reason,
    string Actor,
    DateTimeOffset At) : IResidentEvent, IPersonalDataEvent, INamedEvent
{
    public Guid DataSubjectId() => ResidentId;

    public static string EventType => "resident-merged.v1";
}

/// <summary>This record was merged into <see cref="IntoResidentId"/>: look-ups, new contacts, subject access and erasure go there.</summary>
public sealed record ResidentMergedInto(
    Guid ResidentId,
    Guid IntoResidentId,
    [property: PersonalData] string? Reason,
    string Actor,
    DateTimeOffset At) : IResidentEvent, IPersonalDataEvent, INamedEvent
{
    public Guid DataSubjectId() => ResidentId;

    public static string EventType => "resident-merged-into.v1";
}

/// <summary>
/// The resident's personal data was erased: their key is deleted, so every sealed field of theirs in the log is
/// unreadable from here on. The event itself says who, when, on what basis and under which reference, and carries
/// nothing personal: both are codes (see <see cref="ErasureBases"/>), never free text.
/// </summary>
public sealed record ResidentErased(
    Guid ResidentId,
    string Basis,
    string? Reference,
    string Actor,
    DateTimeOffset At) : IResidentEvent, INamedEvent
{
    public static string EventType => "resident-erased.v1";
}
