namespace FrontDoor.Domain.Referrals;

public abstract record ReferralCommand(Guid ReferralId, string Actor)
{
    /// <summary>
    /// The actor manages the service: they may act on work someone else holds (accept, return, complete, hand it on),
    /// which a team-mate may not.
    /// </summary>
    public bool ByManager { get; init; }
}

public sealed record RaiseReferral(
    Guid ReferralId,
    Guid ContactId,
    Guid? ResidentId,
    string Service,
    string Priority,
    DateTimeOffset DueAt,
    string Rule,
    IReadOnlyList<string> Needs,
    Guid? PreviousReferralId,
    string Actor,
    IReadOnlyList<Guid>? AttachedContactIds = null) : ReferralCommand(ReferralId, Actor);

/// <summary>The actor claims the referral for themselves.</summary>
public sealed record ClaimReferral(Guid ReferralId, string Actor) : ReferralCommand(ReferralId, Actor);

public sealed record AcceptReferral(Guid ReferralId, string Actor) : ReferralCommand(ReferralId, Actor);

public sealed record ReturnReferral(Guid ReferralId, string Reason, string? SuggestedService, string Actor)
    : ReferralCommand(ReferralId, Actor);

/// <summary>Issued by a clock sweep; safe to repeat.</summary>
public sealed record MarkReferralOverdue(Guid ReferralId, string Actor) : ReferralCommand(ReferralId, Actor);

public sealed record CompleteReferral(Guid ReferralId, string Outcome, string Actor) : ReferralCommand(ReferralId, Actor);

/// <summary>
/// "Tell us once": a later contact from the same resident whose need goes to this service joins this open referral
/// instead of raising a parallel one.
/// </summary>
public sealed record AttachContact(Guid ReferralId, Guid ContactId, IReadOnlyList<string> Needs, string Actor) : ReferralCommand(ReferralId, Actor);

/// <summary>
/// The referral is given to a named member of its team to hold: by a manager, or by a worker handing their own (or
/// unheld) work to a colleague. Whether the assignee is a colleague of the service is for the caller to know.
/// </summary>
public sealed record AssignReferral(Guid ReferralId, string Assignee, string Actor) : ReferralCommand(ReferralId, Actor);

/// <summary>A manager moves the referral to another service.</summary>
public sealed record ReassignReferral(Guid ReferralId, string ToService, string Actor) : ReferralCommand(ReferralId, Actor);

/// <summary>
/// A note on the case by someone working it. <see cref="NoteId"/> is the client's (from its idempotency key), so the
/// same note sent again is recorded once.
/// </summary>
public sealed record AddCaseNote(Guid ReferralId, Guid NoteId, string Text, string Actor) : ReferralCommand(ReferralId, Actor);
