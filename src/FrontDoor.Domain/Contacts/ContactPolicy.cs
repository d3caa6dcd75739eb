using FrontDoor.Domain.Catalogue;
using FrontDoor.Domain.Routing;
using FrontDoor.Domain.Sla;

namespace FrontDoor.Domain.Contacts;

/// <summary>The configuration the contact decider consults; swapped in tests and by deployment settings.</summary>
public sealed record ContactPolicy(
    RoutingTable Routing,
    SlaPolicy Sla,
    SiteCatalogue Sites,
    CommunityDirectory Directory)
{
    public static ContactPolicy Default { get; } = new(
        RoutingTable.Default,
        SlaPolicy.Default,
        SiteCatalogue.Default,
        CommunityDirectory.Default);
}
