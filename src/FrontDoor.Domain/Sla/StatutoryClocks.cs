namespace FrontDoor.Domain.Sla;

/// <summary>A legal deadline shown alongside the service target; it is informational and never replaces the SLA.</summary>
public sealed record StatutoryClock(string Code, string Need, string Name, string Description, DateTimeOffset Deadline);

public static class StatutoryClocks
{
    public const string HomelessnessDutyCode = "homelessness-56-day-duty";
    public const string ChildSafeguardingDecisionCode = "child-safeguarding-decision";

    /// <summary>Length of the homelessness prevention and relief duties under Part 7 of the Housing Act 1996.</summary>
    public static readonly TimeSpan HomelessnessDuty = TimeSpan.FromDays(56);

    public static IReadOnlyList<StatutoryClock> For(IEnumerable<string> needs, DateTimeOffset raisedAt) =>
        For(needs, raisedAt, SlaPolicy.Default);

    public static IReadOnlyList<StatutoryClock> For(IEnumerable<string> needs, DateTimeOffset raisedAt, SlaPolicy sla)
    {
        ArgumentNullException.ThrowIfNull(needs);
        ArgumentNullException.ThrowIfNull(sla);
        var distinct = Guard.Codes(needs);
        var clocks = new List<StatutoryClock>();

        if (distinct.Contains(NeedCodes.ChildSafeguarding))
        {
            clocks.Add(new StatutoryClock(
                ChildSafeguardingDecisionCode,
                NeedCodes.ChildSafeguarding,
                "Children's social care decision",
                "Working Together to Safeguard Children expects a decision on the type of response within one working day of a referral.",
                sla.AddWorkingDays(raisedAt, 1)));
        }

        if (distinct.Contains(NeedCodes.Homelessness))
        {
            clocks.Add(new StatutoryClock(
                HomelessnessDutyCode,
                NeedCodes.Homelessness,
                "Homelessness prevention or relief duty",
                "Housing Act 1996 Part 7 (as amended by the Homelessness Reduction Act 2017): the prevention and relief duties each run for 56 days.",
                raisedAt + HomelessnessDuty));
        }

        return clocks;
    }
}
