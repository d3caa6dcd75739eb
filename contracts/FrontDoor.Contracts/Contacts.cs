namespace FrontDoor.Contracts;

/// <summary>
/// A resident's contact, however it reached the council. Every field is checked at the edge. <c>residentId</c> is the
/// record the agent chose from the look-up ("this is the person"): the contact is linked to it whatever details were
/// typed this time.
/// </summary>
public sealed record RecordContactRequest(
    string? Channel,
    string? SiteId,
    ResidentDetails? Resident,
    string? Summary,
    IReadOnlyList<string>? Needs,
    bool? ConsentToShare,
    Guid? ResidentId = null);

/// <summary>What the resident told us about themselves; <c>dateOfBirth</c> is an ISO date (yyyy-mm-dd).</summary>
public sealed record ResidentDetails(string? Name, string? DateOfBirth, string? Postcode, string? Phone, string? Email);

public sealed record ContactCreatedResponse(Guid ContactId);

public sealed record ContactResponse(
    Guid ContactId,
    string Channel,
    string? SiteId,
    string Status,
    Guid? ResidentId,
    ResidentView? Resident,
    string Summary,
    bool ConsentToShare,
    bool Safeguarding,
    IReadOnlyList<string> Needs,
    IReadOnlyList<ContactReferralView> Referrals,
    IReadOnlyList<string> Signposts,
    FollowUpView FollowUp,
    bool HasOwner,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<HistoryEntry> History,
    bool SummaryErased = false,
    Guid? SuggestedResidentId = null,
    Guid? ConfirmedResidentId = null,
    IReadOnlyList<SignpostView>? SignpostDetails = null);

/// <summary>
/// A signpost as the resident needs to hear it, from the community directory as it stands: who runs it and how to
/// reach them. <c>inDirectory</c> is false for a service the directory no longer lists (only its id is known).
/// </summary>
public sealed record SignpostView(string Id, bool InDirectory, string? Name, string? Organization, string? Description, string? Phone, string? Url, string? Email, string? OpeningTimes);

/// <summary>
/// The resident's details; left out for a service worker unless the resident's current consent covers their service
/// (or the contact raises a safeguarding concern). Once the resident is erased every field is null and
/// <c>erased</c> is true.
/// </summary>
public sealed record ResidentView(string? Name, string? DateOfBirth, string? Postcode, string? Phone, string? Email, bool Erased = false);

/// <summary><c>joined</c>: the referral is the resident's open one, raised for an earlier contact, which this contact joined.</summary>
public sealed record ContactReferralView(Guid ReferralId, string Service, string Priority, string Status, DateTimeOffset DueAt, bool Overdue, string? Outcome, bool Joined = false);

/// <summary>The check-back with the resident: <c>none</c>, <c>scheduled</c>, <c>due</c> or <c>done</c>.</summary>
public sealed record FollowUpView(string State, DateTimeOffset? DueAt, string? Reason, bool? Helped);

/// <summary>
/// One thing that happened to the contact or its referrals, newest last: <c>actor</c> is the actor's id;
/// <c>actorName</c> their name, where staff may see it and it is known.
/// </summary>
public sealed record HistoryEntry(string Type, DateTimeOffset At, string Actor, string Description, Guid? ReferralId, string? ActorName = null);

public sealed record CompleteFollowUpRequest(bool? Helped, string? Note);
