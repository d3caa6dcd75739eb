namespace FrontDoor.Domain.Referrals;

/// <summary>Every referral event names its contact so downstream handlers can update the contact without a lookup.</summary>
public interface IReferralEvent : IDomainEvent
{
    Guid ReferralId { get; }

    Guid ContactId { get; }
}

/// <summary>
/// <see cref="Rule"/> says why the referral exists, e.g. "need:homelessness" or "returned-from:housing".
/// <see cref="ResidentId"/> is the contact's, copied when raised so the referral's own events can name their data
/// subject without reading the contact. <see cref="AttachedContactIds"/>: a replacement for a returned referral keeps
/// the later contacts that had joined it.
/// </summary>
public sealed record ReferralRaised(
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
    DateTimeOffset At,
    IReadOnlyList<Guid>? AttachedContactIds = null) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-raised.v1";
}

public sealed record ReferralClaimed(
    Guid ReferralId,
    Guid ContactId,
    string By,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-claimed.v1";
}

/// <summary><see cref="PreviousHolder"/> is who held it before (null when nobody did).</summary>
public sealed record ReferralAssigned(
    Guid ReferralId,
    Guid ContactId,
    string Assignee,
    string? PreviousHolder,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-assigned.v1";
}

public sealed record ReferralAccepted(
    Guid ReferralId,
    Guid ContactId,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-accepted.v1";
}

/// <summary>
/// <see cref="Service"/> is the service handing the work back. What staff write about the resident (this reason, a
/// completion's outcome) is the resident's personal data: sealed under the contact's data subject, it reads as null
/// once they are erased.
/// </summary>
public sealed record ReferralReturned(
    Guid ReferralId,
    Guid ContactId,
    Guid? ResidentId,
    string Service,
    [property: PersonalData] string? Reason,
    string? SuggestedService,
    string Actor,
    DateTimeOffset At) : IReferralEvent, IPersonalDataEvent, INamedEvent
{
    public Guid DataSubjectId() => ResidentId ?? ContactId;

    public static string EventType => "referral-returned.v1";
}

public sealed record ReferralOverdue(
    Guid ReferralId,
    Guid ContactId,
    DateTimeOffset DueAt,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-overdue.v1";
}

/// <summary><see cref="Outcome"/> reads as null once erased.</summary>
public sealed record ReferralCompleted(
    Guid ReferralId,
    Guid ContactId,
    Guid? ResidentId,
    [property: PersonalData] string? Outcome,
    string Actor,
    DateTimeOffset At) : IReferralEvent, IPersonalDataEvent, INamedEvent
{
    public Guid DataSubjectId() => ResidentId ?? ContactId;

    public static string EventType => "referral-completed.v1";
}

/// <summary>
/// Another contact from the same resident joined this open referral: its holder works it as part of this case, and
/// the contact is told when the referral finishes. <see cref="ContactId"/> stays the contact the referral was raised for.
/// </summary>
public sealed record ReferralContactAttached(
    Guid ReferralId,
    Guid ContactId,
    Guid AttachedContactId,
    IReadOnlyList<string> Needs,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-contact-attached.v1";
}

/// <summary>A manager moved the work to another service; <see cref="By"/> is that manager.</summary>
public sealed record ReferralReassigned(
    Guid ReferralId,
    Guid ContactId,
    string FromService,
    string ToService,
    string By,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-reassigned.v1";
}

/// <summary>
/// A note on the case. What staff write about the resident is theirs: sealed under the contact's data subject like
/// the summary, <see cref="Text"/> reads as null once they are erased.
/// </summary>
public sealed record ReferralNoteAdded(
    Guid ReferralId,
    Guid ContactId,
    Guid? ResidentId,
    Guid NoteId,
    [property: PersonalData] string? Text,
    string Actor,
    DateTimeOffset At) : IReferralEvent, IPersonalDataEvent, INamedEvent
{
    public Guid DataSubjectId() => ResidentId ?? ContactId;

    public static string EventType => "referral-note-added.v1";
}
