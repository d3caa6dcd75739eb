using FrontDoor.Domain.Sla;

namespace FrontDoor.Domain.Routing;

public static class RoutingPolicy
{
    public const string UnroutedRule = "unrouted";
    public const string NoNeedsReason = "no-needs-recorded";
    public const string UnroutedNeedsReasonPrefix = "unrouted-needs:";

    /// <summary>
    /// One referral per service at the most pressing priority among that service's needs, so a team gets
    /// one piece of work per resident rather than several competing ones. Anything that no rule can place
    /// (unknown needs, incomplete routes, or nothing at all) goes to the front door's own queue: the
    /// router never throws and never drops a need.
    /// </summary>
    public static RoutingDecision Route(
        RoutingTable table,
        IReadOnlyCollection<string> needs,
        SlaPolicy sla,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(sla);

        var codes = Guard.Codes(needs);
        var byService = new List<(string Service, List<string> Needs, List<string> Priorities)>();
        var signposts = new List<string>();
        var signpostNeeds = new List<string>();
        var unrouted = new List<string>();

        foreach (var need in codes)
        {
            var route = table.Find(need);
            var routed = false;

            if (route is not null && Vocabulary.IsKnownService(route.Service) && Vocabulary.IsKnownPriority(route.Priority))
            {
                var group = byService.FirstOrDefault(g => g.Service == route.Service);
                if (group.Service is null)
                {
                    group = (route.Service!, [], []);
                    byService.Add(group);
                }

                group.Needs.Add(need);
                group.Priorities.Add(Vocabulary.IsSafeguarding(need) ? PriorityCodes.Immediate : route.Priority!);
                routed = true;
            }

            if (route is not null && !string.IsNullOrWhiteSpace(route.Signpost))
            {
                if (!signposts.Contains(route.Signpost))
                {
                    signposts.Add(route.Signpost);
                }

                signpostNeeds.Add(need);
                routed = true;
            }

            if (!routed)
            {
                unrouted.Add(need);
            }
        }

        var referrals = byService
            .Select((g, index) => (Group: g, Index: index, Priority: PriorityCodes.Highest(g.Priorities)!))
            .OrderByDescending(x => PriorityCodes.Rank(x.Priority))
            .ThenBy(x => x.Index)
            .Select(x => new PlannedReferral(
                x.Group.Service,
                x.Priority,
                sla.DueAt(x.Priority, now),
                x.Group.Needs,
                "need:" + string.Join('+', x.Group.Needs)))
            .ToList();

        string? triageReason = null;
        if (unrouted.Count > 0)
        {
            triageReason = UnroutedNeedsReasonPrefix + string.Join(',', unrouted);
        }
        else if (referrals.Count == 0 && signposts.Count == 0)
        {
            triageReason = NoNeedsReason;
        }

        if (triageReason is not null)
        {
            referrals.Add(new PlannedReferral(
                ServiceCodes.FrontDoorTriage,
                PriorityCodes.Standard,
                sla.DueAt(PriorityCodes.Standard, now),
                unrouted,
                UnroutedRule));
        }

        return new RoutingDecision(referrals, signposts, signpostNeeds, triageReason is not null, triageReason);
    }

    /// <summary>
    /// Where a returned referral goes next. A returning service cannot bounce work back to itself, and a
    /// suggestion we do not recognise cannot be trusted, so both fall back to the front door, which always
    /// exists: the result is never empty.
    /// </summary>
    public static PlannedReferral RouteReturned(
        string fromService,
        string? suggestedService,
        string priority,
        IReadOnlyList<string> needs,
        SlaPolicy sla,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sla);
        var target = Vocabulary.IsKnownService(suggestedService) && suggestedService != fromService
            ? suggestedService!
            : ServiceCodes.FrontDoorTriage;
        var effectivePriority = Vocabulary.IsKnownPriority(priority) ? priority : PriorityCodes.Standard;

        return new PlannedReferral(
            target,
            effectivePriority,
            sla.DueAt(effectivePriority, now),
            needs ?? [],
            "returned-from:" + fromService);
    }

    /// <summary>
    /// The referral id for work planned in response to a given source event, so replaying or redelivering
    /// that event yields the same id instead of a duplicate referral.
    /// </summary>
    public static Guid ReferralIdFor(Guid contactId, string service, string sourceEventId) =>
        DeterministicId.From("referral", contactId.ToString("D"), service, sourceEventId);
}
