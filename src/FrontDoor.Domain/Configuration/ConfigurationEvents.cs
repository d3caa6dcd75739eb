using FrontDoor.Domain.Catalogue;
using FrontDoor.Domain.Routing;

namespace FrontDoor.Domain.Configuration;

/// <summary>
/// The council's rules change by events, like everything else: who changed the routing table, SLA targets, sites
/// or directory, and when, is in the log for good.
/// </summary>
public sealed record RoutingTableChanged(IReadOnlyList<NeedRoute> Routes, string Actor, DateTimeOffset At) : INamedEvent
{
    public static string EventType => "routing-table-changed.v1";
}

public sealed record SlaTargetsChanged(
    TimeSpan Immediate,
    TimeSpan Urgent,
    int StandardWorkingDays,
    int FollowUpWorkingDays,
    string Actor,
    DateTimeOffset At) : INamedEvent
{
    public static string EventType => "sla-targets-changed.v1";
}

public sealed record SiteCatalogueChanged(IReadOnlyList<Site> Sites, string Actor, DateTimeOffset At) : INamedEvent
{
    public static string EventType => "site-catalogue-changed.v1";
}

public sealed record DirectoryChanged(IReadOnlyList<DirectoryService> Services, string Actor, DateTimeOffset At) : INamedEvent
{
    public static string EventType => "directory-changed.v1";
}

public static class ConfigurationStreams
{
    public const string Routing = "configuration-routing";
    public const string Sla = "configuration-sla";
    public const string Sites = "configuration-sites";
    public const string Directory = "configuration-directory";
}
