using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Tests.Support;

namespace FrontDoor.Domain.Tests.Contacts;

internal static class ContactData
{
    public const string Officer = "user:officer-amy";
    public const string Router = "system:router";
    public const string Summary = "Eviction notice received, behind on rent and worried about money.";

    public static readonly Guid ContactId = Guid.Parse("6a1d3a4e-0a7b-4c43-9d3e-1b1f5f2a9c01");
    public static readonly Guid HousingReferral = Guid.Parse("a0000000-0000-4000-8000-000000000001");
    public static readonly Guid PovertyReferral = Guid.Parse("a0000000-0000-4000-8000-000000000002");
    public static readonly Guid ReplacementId = Guid.Parse("a0000000-0000-4000-8000-000000000003");
    public static readonly Guid TriageReferral = Guid.Parse("a0000000-0000-4000-8000-000000000004");
    public static readonly DateTimeOffset Due = Times.Monday.AddDays(1);

    public static ContactReceived Received(string channel = ChannelCodes.Phone, string? siteId = null) =>
        new(ContactId, channel, siteId, null, Summary, [NeedCodes.Homelessness, NeedCodes.MoneyAndDebt], true, Officer, Times.Monday);

    public static ContactReferred Referred(Guid referralId, string service = ServiceCodes.Housing, string priority = PriorityCodes.Urgent) =>
        new(ContactId, referralId, service, priority, Due, Router, Times.Monday);

    public static ContactReferralCompleted Completed(Guid referralId) =>
        new(ContactId, referralId, Officer, Times.Monday);

    public static FollowUpScheduled FollowUp(DateTimeOffset? dueAt = null, string reason = FollowUpReasons.AllReferralsCompleted) =>
        new(ContactId, dueAt ?? Times.Monday.AddDays(3), reason, Officer, Times.Monday);

    public static FollowUpCompleted FollowUpDone(bool helped = true) =>
        new(ContactId, null, helped, helped ? "Resident is settled" : "Still no help", Officer, Times.Monday);

    public static QueuedForTriage Queued(string reason = "unrouted-needs:unknown") =>
        new(ContactId, reason, Router, Times.Monday);
}
