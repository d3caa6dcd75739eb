namespace FrontDoor.Domain;

public static class ChannelCodes
{
    public const string Phone = "phone";
    public const string Web = "web";
    public const string LetsTalk = "lets-talk";
    public const string WelcomingSpace = "welcoming-space";
}

public static class ServiceCodes
{
    public const string AdultSocialCare = "adult-social-care";
    public const string Housing = "housing";
    public const string PovertySupport = "poverty-support";
    public const string EarlyHelp = "early-help";

    /// <summary>The front door's own queue: the owner of last resort, so no contact is left without someone responsible.</summary>
    public const string FrontDoorTriage = "front-door-triage";
}

public static class NeedCodes
{
    public const string CareAndSupport = "care-and-support";
    public const string CarerSupport = "carer-support";
    public const string AdultSafeguarding = "adult-safeguarding";
    public const string Homelessness = "homelessness";
    public const string HousingAdvice = "housing-advice";
    public const string MoneyAndDebt = "money-and-debt";
    public const string FoodAndFuel = "food-and-fuel";
    public const string FamilySupport = "family-support";
    public const string ChildSafeguarding = "child-safeguarding";
    public const string IsolationAndWellbeing = "isolation-and-wellbeing";
}

public static class PriorityCodes
{
    public const string Immediate = "immediate";
    public const string Urgent = "urgent";
    public const string Standard = "standard";

    /// <summary>Higher is more pressing; unknown codes rank below everything so they never outrank a real priority.</summary>
    public static int Rank(string? priority) => priority switch
    {
        Immediate => 3,
        Urgent => 2,
        Standard => 1,
        _ => 0,
    };

    public static string? Highest(IEnumerable<string?> priorities)
    {
        ArgumentNullException.ThrowIfNull(priorities);
        string? highest = null;
        foreach (var priority in priorities)
        {
            if (Rank(priority) > Rank(highest))
            {
                highest = priority;
            }
        }

        return highest;
    }
}

public static class SignpostCodes
{
    public const string CommunityDirectory = "community-directory";
}

public static class Vocabulary
{
    public static IReadOnlyList<string> Channels { get; } =
        [ChannelCodes.Phone, ChannelCodes.Web, ChannelCodes.LetsTalk, ChannelCodes.WelcomingSpace];

    /// <summary>Channels where the resident came in person to a catalogued site, so the site must be recorded.</summary>
    public static IReadOnlyList<string> SiteChannels { get; } = [ChannelCodes.LetsTalk, ChannelCodes.WelcomingSpace];

    /// <summary>The services that receive referrals, and so the ones a resident's consent to share can cover.</summary>
    public static IReadOnlyList<string> ReferralServices { get; } =
    [
        ServiceCodes.AdultSocialCare,
        ServiceCodes.Housing,
        ServiceCodes.PovertySupport,
        ServiceCodes.EarlyHelp,
    ];

    public static IReadOnlyList<string> Services { get; } =
    [
        ServiceCodes.AdultSocialCare,
        ServiceCodes.Housing,
        ServiceCodes.PovertySupport,
        ServiceCodes.EarlyHelp,
        ServiceCodes.FrontDoorTriage,
    ];

    public static IReadOnlyList<string> Needs { get; } =
    [
        NeedCodes.CareAndSupport,
        NeedCodes.CarerSupport,
        NeedCodes.AdultSafeguarding,
        NeedCodes.Homelessness,
        NeedCodes.HousingAdvice,
        NeedCodes.MoneyAndDebt,
        NeedCodes.FoodAndFuel,
        NeedCodes.FamilySupport,
        NeedCodes.ChildSafeguarding,
        NeedCodes.IsolationAndWellbeing,
    ];

    /// <summary>Ordered from most to least pressing.</summary>
    public static IReadOnlyList<string> Priorities { get; } =
        [PriorityCodes.Immediate, PriorityCodes.Urgent, PriorityCodes.Standard];

    public static IReadOnlyList<string> SafeguardingNeeds { get; } =
        [NeedCodes.AdultSafeguarding, NeedCodes.ChildSafeguarding];

    public static bool IsKnownChannel(string? channel) => channel is not null && Channels.Contains(channel);

    public static bool IsSiteChannel(string? channel) => channel is not null && SiteChannels.Contains(channel);

    public static bool IsKnownService(string? service) => service is not null && Services.Contains(service);

    public static bool IsKnownNeed(string? need) => need is not null && Needs.Contains(need);

    public static bool IsKnownPriority(string? priority) => priority is not null && Priorities.Contains(priority);

    public static bool IsSafeguarding(string? need) => need is not null && SafeguardingNeeds.Contains(need);
}
