namespace FrontDoor.Domain.Residents;

public abstract record ResidentCommand(Guid ResidentId, string Actor);

public sealed record RegisterResident(
    Guid ResidentId,
    string Name,
    DateOnly? DateOfBirth,
    string? Postcode,
    string? Phone,
    string? Email,
    string Actor) : ResidentCommand(ResidentId, Actor);

public sealed record CorrectResidentDetails(
    Guid ResidentId,
    string Name,
    DateOnly? DateOfBirth,
    string? Postcode,
    string? Phone,
    string? Email,
    string Actor) : ResidentCommand(ResidentId, Actor);

/// <summary>Joins a contact to the resident. What the resident said about sharing is answered per referral (below).</summary>
public sealed record LinkContact(Guid ResidentId, Guid ContactId, string Channel, string Actor)
    : ResidentCommand(ResidentId, Actor);

/// <summary>
/// What the resident said, on a contact, about sharing their details with "the teams we refer them to", applied to
/// exactly the <paramref name="Services"/> that contact was referred to (as each referral is raised): yes gives
/// consent to those services, no withdraws it from them, and no other service's consent changes.
/// </summary>
public sealed record AnswerForReferredServices(
    Guid ResidentId,
    Guid ContactId,
    IReadOnlyList<string> Services,
    bool Agreed,
    string Method,
    string Actor) : ResidentCommand(ResidentId, Actor);

public sealed record GiveConsent(
    Guid ResidentId,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> Partners,
    string Method,
    Guid? ContactId,
    string Actor) : ResidentCommand(ResidentId, Actor);

public sealed record WithdrawConsent(
    Guid ResidentId,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> Partners,
    string Method,
    Guid? ContactId,
    string Actor) : ResidentCommand(ResidentId, Actor);

public sealed record EraseResident(Guid ResidentId, string Basis, string? Reference, string Actor)
    : ResidentCommand(ResidentId, Actor);

/// <summary>A manager found <see cref="MergedResidentId"/> is the same person as this resident: this record takes it in.</summary>
public sealed record AbsorbResident(Guid ResidentId, Guid MergedResidentId, string Reason, string Actor)
    : ResidentCommand(ResidentId, Actor);

/// <summary>The other side of a merge: this record is the same person as <see cref="IntoResidentId"/>, which holds them from now on.</summary>
public sealed record MergeIntoResident(Guid ResidentId, Guid IntoResidentId, string Reason, string Actor)
    : ResidentCommand(ResidentId, Actor);
