namespace FrontDoor.Domain.Routing;

/// <summary>
/// Where a need goes. A route names a service and priority, a signpost, or both; a route with neither
/// is treated as unrouted so the front door still owns the need.
/// </summary>
public sealed record NeedRoute(string Need, string? Service = null, string? Priority = null, string? Signpost = null);

/// <summary>Routing is configuration, not code: commissioners change it without a release.</summary>
public sealed record RoutingTable(IReadOnlyList<NeedRoute> Routes)
{
    public static RoutingTable Default { get; } = new(
    [
        new NeedRoute(NeedCodes.CareAndSupport, ServiceCodes.AdultSocialCare, PriorityCodes.Standard),
        new NeedRoute(NeedCodes.CarerSupport, ServiceCodes.AdultSocialCare, PriorityCodes.Standard),
        new NeedRoute(NeedCodes.AdultSafeguarding, ServiceCodes.AdultSocialCare, PriorityCodes.Immediate),
        new NeedRoute(NeedCodes.Homelessness, ServiceCodes.Housing, PriorityCodes.Urgent),
        new NeedRoute(NeedCodes.HousingAdvice, ServiceCodes.Housing, PriorityCodes.Standard),
        new NeedRoute(NeedCodes.MoneyAndDebt, ServiceCodes.PovertySupport, PriorityCodes.Standard),
        new NeedRoute(NeedCodes.FoodAndFuel, ServiceCodes.PovertySupport, PriorityCodes.Urgent),
        new NeedRoute(NeedCodes.FamilySupport, ServiceCodes.EarlyHelp, PriorityCodes.Standard),
        new NeedRoute(NeedCodes.ChildSafeguarding, ServiceCodes.EarlyHelp, PriorityCodes.Immediate),
        new NeedRoute(NeedCodes.IsolationAndWellbeing, Signpost: SignpostCodes.CommunityDirectory),
    ]);

    public NeedRoute? Find(string need) => Routes.FirstOrDefault(r => string.Equals(r.Need, need, StringComparison.Ordinal));

    /// <summary>
    /// The most pressing priority among the needs. Safeguarding is always immediate whatever the table
    /// says, because a misconfigured table must never be able to slow a safeguarding response.
    /// </summary>
    public string HighestPriority(IEnumerable<string> needs)
    {
        var codes = Guard.Codes(needs);
        if (codes.Any(Vocabulary.IsSafeguarding))
        {
            return PriorityCodes.Immediate;
        }

        return PriorityCodes.Highest(codes.Select(n => Find(n)?.Priority).Where(Vocabulary.IsKnownPriority))
            ?? PriorityCodes.Standard;
    }
}
