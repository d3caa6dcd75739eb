namespace FrontDoor.Contracts;

/// <summary>
/// <c>attachedContactIds</c>: later contacts from the same resident that joined this referral ("tell us once").
/// <c>notes</c>: the case's notes, newest first; a note's text is null once the resident is erased.
/// <c>returnedFrom</c>: where returned work came from and why. <c>claimedBy</c> is whoever holds the work (claimed or
/// assigned), since <c>heldSince</c>. <c>names</c>: the display names of the people the referral names, by actor id.
/// </summary>
public sealed record ReferralResponse(
    Guid ReferralId,
    Guid ContactId,
    string Service,
    string Priority,
    string Status,
    DateTimeOffset RaisedAt,
    DateTimeOffset DueAt,
    bool Overdue,
    string Rule,
    IReadOnlyList<string> Needs,
    string? ClaimedBy,
    string? Outcome,
    string? ReturnReason,
    string? SuggestedService,
    Guid? PreviousReferralId,
    long Version,
    IReadOnlyList<StatutoryClockView> StatutoryClocks,
    IReadOnlyList<Guid>? AttachedContactIds = null,
    IReadOnlyList<CaseNoteView>? Notes = null,
    ReturnedFromView? ReturnedFrom = null,
    DateTimeOffset? HeldSince = null,
    IReadOnlyDictionary<string, string>? Names = null);

/// <summary>
/// The referral this one replaces, when a team handed that one back: which team, why (null once the resident is
/// erased), who and when — so the team receiving the work starts informed.
/// </summary>
public sealed record ReturnedFromView(Guid ReferralId, string Service, string? Reason, string? ReturnedBy, DateTimeOffset? ReturnedAt);

/// <summary>A note on a case: <c>by</c> is who wrote it; <c>text</c> is null once the resident is erased.</summary>
public sealed record CaseNoteView(Guid NoteId, string? Text, string By, DateTimeOffset At);

public sealed record AddNoteRequest(string? Text);

/// <summary>The note as recorded, and the referral's new version (its ETag).</summary>
public sealed record CaseNoteResponse(Guid ReferralId, Guid NoteId, string? Text, string By, DateTimeOffset At, long Version);

public sealed record StatutoryClockView(string Code, string Name, string Description, DateTimeOffset Deadline);

/// <summary><c>assignee</c>: the user id of the colleague who is to hold the referral.</summary>
public sealed record AssignReferralRequest(string? Assignee);

public sealed record ReturnReferralRequest(string? Reason, string? SuggestedService);

public sealed record CompleteReferralRequest(string? Outcome);

/// <summary>The referral's new version after an action; send it back as <c>If-Match</c> on the next one.</summary>
public sealed record ReferralActionResponse(Guid ReferralId, string Status, long Version);

/// <summary>
/// <c>GET /api/referrals/{id}/resident-work</c>, "tell us once" for whoever works the case: the resident's other
/// contacts and their open referrals in every service, with who holds each. <c>shared</c> is false (and the lists
/// empty) where the resident's consent does not cover the service asking, as with their details.
/// </summary>
public sealed record ResidentWorkResponse(Guid ReferralId, Guid? ResidentId, bool Shared, IReadOnlyList<ResidentContactView> Contacts, IReadOnlyList<ResidentReferralView> OpenReferrals);

/// <summary>Another contact of the resident's: when, how, and whether it is still open.</summary>
public sealed record ResidentContactView(Guid ContactId, string Reference, string Channel, string? SiteId, DateTimeOffset ReceivedAt, string Status);

/// <summary>One of the resident's open referrals: which team, how pressing, who holds it (id and name) and when it is due.</summary>
public sealed record ResidentReferralView(Guid ReferralId, string Service, string Priority, string Status, DateTimeOffset DueAt, bool Overdue, string? HeldBy, string? HeldByName);
