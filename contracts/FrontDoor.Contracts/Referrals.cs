namespace FrontDoor.Contracts;

/// <summary><c>attachedContactIds</c>: later contacts from the same resident that joined this referral ("tell us once").</summary>
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
    IReadOnlyList<Guid>? AttachedContactIds = null);

public sealed record StatutoryClockView(string Code, string Name, string Description, DateTimeOffset Deadline);

public sealed record ReturnReferralRequest(string? Reason, string? SuggestedService);

public sealed record CompleteReferralRequest(string? Outcome);

/// <summary>The referral's new version after an action; send it back as <c>If-Match</c> on the next one.</summary>
public sealed record ReferralActionResponse(Guid ReferralId, string Status, long Version);
