namespace FrontDoor.Contracts;

public sealed record ResidentSearchResponse(IReadOnlyList<ResidentMatch> Residents);

/// <summary>"Tell us once": a resident we already know, with their earlier contacts and open referrals.</summary>
public sealed record ResidentMatch(
    Guid ResidentId,
    string Name,
    string? DateOfBirth,
    string? Postcode,
    int ContactCount,
    IReadOnlyList<EarlierContact> Contacts,
    IReadOnlyList<OpenReferral> OpenReferrals);

public sealed record EarlierContact(Guid ContactId, string Channel, string? SiteId, string Status, DateTimeOffset ReceivedAt, IReadOnlyList<string> Needs);

public sealed record OpenReferral(Guid ReferralId, Guid ContactId, string Service, string Priority, string Status, DateTimeOffset DueAt);
