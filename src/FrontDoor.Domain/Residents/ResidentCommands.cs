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

/// <summary>
/// Joins a contact to the resident. <paramref name="Answer"/> is what the resident said about sharing in that
/// contact (give or withdraw), applied with the link, so the answer of each contact is taken exactly once.
/// </summary>
public sealed record LinkContact(Guid ResidentId, Guid ContactId, string Channel, string Actor, ResidentCommand? Answer = null)
    : ResidentCommand(ResidentId, Actor);

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
