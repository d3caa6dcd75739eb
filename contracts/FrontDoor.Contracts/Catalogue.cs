namespace FrontDoor.Contracts;

public sealed record SiteView(string Id, string Name, string Kind, string Town);

public sealed record SitesResponse(IReadOnlyList<SiteView> Sites);

/// <summary>A community service in Open Referral UK's field names.</summary>
public sealed record DirectoryServiceView(
    string Id,
    string Name,
    string Description,
    string? Url,
    string? Email,
    string Status,
    DirectoryOrganizationView Organization,
    IReadOnlyList<string> ServiceAreas,
    IReadOnlyList<string> Taxonomies,
    string? ContactPhone,
    IReadOnlyList<string> Needs,
    string? OpeningTimes = null);

public sealed record DirectoryOrganizationView(string Id, string Name);

public sealed record DirectoryResponse(IReadOnlyList<DirectoryServiceView> Services);
