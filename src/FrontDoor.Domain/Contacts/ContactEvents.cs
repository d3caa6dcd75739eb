namespace FrontDoor.Domain.Contacts;

public interface IContactEvent : IDomainEvent
{
    Guid ContactId { get; }
}

/// <summary>
/// <see cref="ClaimedResidentId"/> is the record an unverified contact's details (the public form's) would match: a
/// claim of identity that staff confirm, never acted on by itself. <see cref="RequestDigest"/> lets a retry under the
/// same idempotency key be told from a different request; it is sealed, being derived from what was said. Needs are kept exactly as first stated so later reassessment never rewrites what the resident told us. The
/// summary reads as null once its subject's key is gone.
/// </summary>
public sealed record ContactReceived(
    Guid ContactId,
    string Channel,
    string? SiteId,
    Guid? ResidentId,
    [property: PersonalData] string? Summary,
    IReadOnlyList<string> Needs,
    bool ConsentToShare,
    string Actor,
    DateTimeOffset At,
    Guid? ClaimedResidentId = null,
    [property: PersonalData] string? RequestDigest = null) : IContactEvent, IPersonalDataEvent, INamedEvent
{
    /// <summary>The summary is the resident's own account, sealed under their key (or the contact's own when they gave no name).</summary>
    public Guid DataSubjectId() => ResidentId ?? ContactId;

    public static string EventType => "contact-received.v1";
}

public sealed record NeedsAssessed(
    Guid ContactId,
    IReadOnlyList<string> Needs,
    bool Safeguarding,
    string HighestPriority,
    string Actor,
    DateTimeOffset At) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-needs-assessed.v1";
}

public sealed record ConsentRecorded(
    Guid ContactId,
    bool ConsentToShare,
    string ObtainedBy,
    string Actor,
    DateTimeOffset At) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-consent-recorded.v1";
}

/// <summary><see cref="Joined"/>: the contact joined the resident's open referral at the service rather than raising another.</summary>
public sealed record ContactReferred(
    Guid ContactId,
    Guid ReferralId,
    string Service,
    string Priority,
    DateTimeOffset DueAt,
    string Actor,
    DateTimeOffset At,
    bool Joined = false) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-referred.v1";
}

/// <summary>The outcome stays on the referral's own stream, sealed there: the contact only learns that it is done.</summary>
public sealed record ContactReferralCompleted(
    Guid ContactId,
    Guid ReferralId,
    string Actor,
    DateTimeOffset At) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-referral-completed.v1";
}

/// <summary>A referral that ended without being completed (it was returned); its replacement is recorded separately.</summary>
public sealed record ContactReferralClosed(
    Guid ContactId,
    Guid ReferralId,
    string Reason,
    string Actor,
    DateTimeOffset At) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-referral-closed.v1";
}

/// <summary>Entries are community directory service ids.</summary>
public sealed record Signposted(
    Guid ContactId,
    IReadOnlyList<string> Entries,
    string Actor,
    DateTimeOffset At) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-signposted.v1";
}

/// <summary>The note is what staff wrote about the resident, sealed like the summary; it reads as null once erased.</summary>
public sealed record ResolvedAtFirstContact(
    Guid ContactId,
    Guid? ResidentId,
    [property: PersonalData] string? Note,
    string Actor,
    DateTimeOffset At) : IContactEvent, IPersonalDataEvent, INamedEvent
{
    public Guid DataSubjectId() => ResidentId ?? ContactId;

    public static string EventType => "contact-resolved-at-first-contact.v1";
}

/// <summary>The front-door triage team now owns the contact.</summary>
public sealed record QueuedForTriage(
    Guid ContactId,
    string Reason,
    string Actor,
    DateTimeOffset At) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-queued-for-triage.v1";
}

public sealed record FollowUpScheduled(
    Guid ContactId,
    DateTimeOffset DueAt,
    string Reason,
    string Actor,
    DateTimeOffset At) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-follow-up-scheduled.v1";
}

/// <summary>A scheduled check-back has reached its due time without being done.</summary>
public sealed record FollowUpDue(
    Guid ContactId,
    DateTimeOffset DueAt,
    string Actor,
    DateTimeOffset At) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-follow-up-due.v1";
}

/// <summary>The note is what the resident said at the check-back, sealed like the summary; it reads as null once erased.</summary>
public sealed record FollowUpCompleted(
    Guid ContactId,
    Guid? ResidentId,
    bool Helped,
    [property: PersonalData] string? Note,
    string Actor,
    DateTimeOffset At) : IContactEvent, IPersonalDataEvent, INamedEvent
{
    public Guid DataSubjectId() => ResidentId ?? ContactId;

    public static string EventType => "contact-follow-up-completed.v1";
}

public sealed record ContactClosed(
    Guid ContactId,
    string Actor,
    DateTimeOffset At) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-closed.v1";
}

/// <summary>
/// The personal data of a contact that named no resident was erased: its own key is shredded, so its summary and
/// everything staff wrote about it read as erased from here on. Says who, when, on what basis and under which
/// reference; carries nothing personal (see <see cref="ErasureBases"/>).
/// </summary>
public sealed record ContactPersonalDataErased(
    Guid ContactId,
    string Basis,
    string? Reference,
    string Actor,
    DateTimeOffset At) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-personal-data-erased.v1";
}

/// <summary>The resident an unverified contact's details match, for staff to confirm or not.</summary>
public sealed record ContactResidentSuggested(
    Guid ContactId,
    Guid ResidentId,
    string Actor,
    DateTimeOffset At) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-resident-suggested.v1";
}

/// <summary>Staff confirmed whose contact this is, with the consent to share the resident gave them.</summary>
public sealed record ContactResidentConfirmed(
    Guid ContactId,
    Guid ResidentId,
    bool ConsentToShare,
    string Actor,
    DateTimeOffset At) : IContactEvent, INamedEvent
{
    public static string EventType => "contact-resident-confirmed.v1";
}
