namespace FrontDoor.Contracts;

/// <summary><c>names</c>: the display names of those holding the items, by actor id.</summary>
public sealed record QueueResponse(string Service, IReadOnlyList<QueueItem> Items, IReadOnlyDictionary<string, string>? Names = null);

/// <summary><c>GET /api/my/work</c>: the open referrals the signed-in member of staff holds, most pressing first.</summary>
public sealed record MyWorkResponse(string UserId, IReadOnlyList<QueueItem> Items);

/// <summary>
/// <c>GET /api/teams/{service}/work</c>, for the team's manager: the work nobody holds yet, then each colleague with
/// what they hold (unclaimed and overdue first), so work can be moved to whoever has room.
/// </summary>
public sealed record TeamWorkResponse(string Service, IReadOnlyList<QueueItem> Unheld, IReadOnlyList<HolderView> Holders, int? Cap);

/// <summary>
/// One colleague and the open work they hold (empty for a colleague with none): <c>overdue</c> counts their late
/// items, <c>heldSince</c> is when they took on the longest-held one.
/// </summary>
public sealed record HolderView(string UserId, string Name, int Open, int Overdue, DateTimeOffset? HeldSince, IReadOnlyList<QueueItem> Items);

/// <summary>
/// Work waiting for a team, ordered by priority then due time. <c>kind</c> is <c>referral</c>, or
/// <c>follow-up</c> for a check-back with the resident (front-door-triage only; it has no referral id).
/// <c>claimedBy</c> is whoever holds the work (claimed or assigned), since <c>heldSince</c>; <c>service</c> is the
/// team whose work it is.
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
    long Version,
    DateTimeOffset? HeldSince = null,
    string? Service = null);

/// <summary>
/// <c>GET /api/work?show=…</c>: the list behind one of the wall's figures, across services or for one
/// (<c>service</c>): <c>overdue</c>, <c>unclaimed</c>, <c>unclaimed-urgent</c> (safeguarding or immediate work nobody
/// holds), <c>returned</c> (referrals teams handed back, newest first), <c>check-backs-due</c> or <c>without-owner</c>
/// (open contacts nobody owns yet, items of kind <c>contact</c>).
/// </summary>
public sealed record WorkListResponse(string Show, string? Service, IReadOnlyList<QueueItem> Items, IReadOnlyDictionary<string, string>? Names = null);
