namespace FrontDoor.Domain.Routing;

/// <summary>A referral the router intends to raise; the caller turns it into a RaiseReferral with a deterministic id.</summary>
public sealed record PlannedReferral(
    string Service,
    string Priority,
    DateTimeOffset DueAt,
    IReadOnlyList<string> Needs,
    string Rule);

/// <summary>
/// The outcome of routing a set of needs. <see cref="SignpostNeeds"/> lists the needs answered by a
/// signpost so the caller can pick matching directory entries.
/// </summary>
public sealed record RoutingDecision(
    IReadOnlyList<PlannedReferral> Referrals,
    IReadOnlyList<string> Signposts,
    IReadOnlyList<string> SignpostNeeds,
    bool QueueForTriage,
    string? TriageReason);
