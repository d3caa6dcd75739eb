namespace FrontDoor.Domain.Contacts;

public static class ContactStatus
{
    public const string None = "none";
    public const string Received = "received";
    public const string Routed = "routed";
    public const string AwaitingFollowUp = "awaiting-follow-up";
    public const string FollowUpDue = "follow-up-due";
    public const string Reopened = "reopened";
    public const string Closed = "closed";
}

public static class FollowUpStates
{
    public const string None = "none";
    public const string Scheduled = "scheduled";
    public const string Done = "done";
}

public static class FollowUpReasons
{
    public const string AllReferralsCompleted = "all-referrals-completed";
    public const string CheckBackAfterDays = "check-back-after-days";
    public const string Signposted = "signposted";
    public const string Resolved = "resolved";

    public static IReadOnlyList<string> All { get; } = [AllReferralsCompleted, CheckBackAfterDays, Signposted, Resolved];
}

public static class ConsentMethods
{
    public const string Spoken = "spoken";
    public const string Written = "written";
    public const string WebForm = "web-form";

    public static IReadOnlyList<string> All { get; } = [Spoken, Written, WebForm];

    public static bool IsKnown(string? method) => method is not null && All.Contains(method);
}

public static class TriageReasons
{
    public const string FollowUpNotHelped = "follow-up-not-helped";
    public const string ReferralReturned = "referral-returned";
}

public static class ReferralCloseReasons
{
    public const string Returned = "returned";
}
