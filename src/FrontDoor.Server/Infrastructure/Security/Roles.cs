using System.Security.Claims;
using FrontDoor.Domain;

namespace FrontDoor.Server.Infrastructure.Security;

public static class Roles
{
    public const string Agent = "agent";
    public const string Worker = "worker";
    public const string Manager = "manager";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Agent, Worker, Manager, Admin];
}

/// <summary>The authorisation policies; every endpoint names one (or is explicitly anonymous).</summary>
public static class Policies
{
    /// <summary>Any signed-in member of staff.</summary>
    public const string Staff = "staff";

    /// <summary>Contact-centre agents: the front door itself.</summary>
    public const string Agent = "agent";

    /// <summary>Agents, and managers who read everything.</summary>
    public const string AgentOrManager = "agent-or-manager";

    /// <summary>Whoever works or oversees referrals: agents (the front door's own), workers (their service's), managers.</summary>
    public const string Caseworker = "caseworker";

    public const string Manager = "manager";

    public const string Admin = "admin";

    /// <summary>Whoever runs the service: managers and admins (the inside of a node's health, say).</summary>
    public const string Operator = "operator";
}

/// <summary>What a signed-in user is, read from claims whose names come from configuration.</summary>
public static class StaffPrincipal
{
    /// <summary>Claim names FrontDoor sets itself on admission; a token's own claims by these names are discarded.</summary>
    public const string ClaimPrefix = "frontdoor:";

    public const string ServiceClaim = ClaimPrefix + "service";

    public static string? Service(this ClaimsPrincipal user) => user.FindFirst(ServiceClaim)?.Value;

    public static bool IsAgent(this ClaimsPrincipal user) => user.IsInRole(Roles.Agent);

    public static bool IsManager(this ClaimsPrincipal user) => user.IsInRole(Roles.Manager);

    public static bool IsWorker(this ClaimsPrincipal user) => user.IsInRole(Roles.Worker);

    /// <summary>Whether the user may see and act on a service's work: workers their own service, agents the front door's.</summary>
    public static bool WorksFor(this ClaimsPrincipal user, string service) =>
        (user.IsWorker() && WorksFor(Roles.Worker, user.Service(), service)) || (user.IsAgent() && WorksFor(Roles.Agent, null, service));

    /// <summary>The same rule for a member of staff known by role and service (one not signed in to this request).</summary>
    public static bool WorksFor(string? role, string? ownService, string service) =>
        (role == Roles.Worker && ownService == service) || (role == Roles.Agent && service == ServiceCodes.FrontDoorTriage);

    /// <summary>Whether the user may see a service's queue: managers every queue, otherwise the ones they work.</summary>
    public static bool MaySeeQueue(this ClaimsPrincipal user, string service) => user.IsManager() || user.WorksFor(service);
}
