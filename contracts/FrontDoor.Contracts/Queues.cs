namespace FrontDoor.Contracts;

public sealed record QueueResponse(string Service, IReadOnlyList<QueueItem> Items);

/// <summary>
/// Work waiting for a team, ordered by priority then due time. <c>kind</c> is <c>referral</c>, or
/// <c>follow-up</c> for a check-back with the resident (front-door-triage only; it has no referral id).
/// </summary>
public sealed record QueueItem(
    string Kind,
    Guid? ReferralId,
    Guid ContactId,
    string Priority,
    string Status,
    DateTimeOffset RaisedAt,
    DateTimeOffset DueAt,
    bool Overdue,
    bool Safeguarding,
    string? ClaimedBy,
    IReadOnlyList<string> Needs,
    long Version);
