namespace FrontDoor.Domain.Catalogue;

/// <summary>Open Referral UK <c>organization</c>: who runs a service.</summary>
public sealed record DirectoryOrganization(string Id, string Name);

/// <summary>
/// A signposting entry shaped after the Open Referral UK <c>service</c> object (id, name, description,
/// url, email, status, organization, service_areas, taxonomy terms, contact phone) so it can be exchanged
/// with other directories. <see cref="Needs"/> is our own tagging for matching against triage needs.
/// <see cref="OpeningTimes"/> is when a resident can reach the service, in the words an agent reads out (Open
/// Referral UK's <c>regular_schedule</c>, said plainly).
/// </summary>
public sealed record DirectoryService(
    string Id,
    string Name,
    string Description,
    Uri? Url,
    string? Email,
    string Status,
    DirectoryOrganization Organization,
    IReadOnlyList<string> ServiceAreas,
    IReadOnlyList<string> Taxonomies,
    string? ContactPhone,
    IReadOnlyList<string> Needs,
    string? OpeningTimes = null);
