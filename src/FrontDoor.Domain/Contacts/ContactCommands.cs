namespace FrontDoor.Domain.Contacts;

public abstract record ContactCommand(Guid ContactId, string Actor);

public sealed record RecordContact(
    Guid ContactId,
    string Channel,
    string? SiteId,
    Guid? ResidentId,
    string Summary,
    IReadOnlyList<string> Needs,
    bool ConsentToShare,
    string Actor,
    Guid? ClaimedResidentId = null,
    string? RequestDigest = null) : ContactCommand(ContactId, Actor);

public sealed record AssessNeeds(Guid ContactId, IReadOnlyList<string> Needs, string Actor)
    : ContactCommand(ContactId, Actor);

public sealed record RecordConsent(Guid ContactId, bool ConsentToShare, string ObtainedBy, string Actor)
    : ContactCommand(ContactId, Actor);

/// <summary><see cref="Joined"/>: the referral is the resident's open one, raised for an earlier contact, which this contact joined.</summary>
public sealed record RecordReferral(
    Guid ContactId,
    Guid ReferralId,
    string Service,
    string Priority,
    DateTimeOffset DueAt,
    string Actor,
    bool Joined = false) : ContactCommand(ContactId, Actor);

public sealed record RecordReferralCompleted(Guid ContactId, Guid ReferralId, string Actor)
    : ContactCommand(ContactId, Actor);

/// <summary>The referral this contact is waiting on in place of a returned one.</summary>
public sealed record ReplacementReferral(Guid ReferralId, string Service, string Priority, DateTimeOffset DueAt);

/// <summary>
/// Records that a referral came back. Passing the <see cref="Replacement"/> records the re-routed referral
/// in the same decision, so the contact is never seen without a live owner in between.
/// </summary>
public sealed record RecordReferralReturned(
    Guid ContactId,
    Guid ReferralId,
    string Actor,
    ReplacementReferral? Replacement = null) : ContactCommand(ContactId, Actor);

public sealed record Signpost(Guid ContactId, IReadOnlyList<string> Entries, string Actor)
    : ContactCommand(ContactId, Actor);

public sealed record ResolveAtFirstContact(Guid ContactId, string Note, string Actor)
    : ContactCommand(ContactId, Actor);

public sealed record QueueForTriage(Guid ContactId, string Reason, string Actor)
    : ContactCommand(ContactId, Actor);

public sealed record ScheduleFollowUp(Guid ContactId, DateTimeOffset DueAt, string Reason, string Actor)
    : ContactCommand(ContactId, Actor);

/// <summary>Raised by a clock sweep; a no-op until the follow-up is actually due.</summary>
public sealed record MarkFollowUpDue(Guid ContactId, string Actor)
    : ContactCommand(ContactId, Actor);

public sealed record CompleteFollowUp(Guid ContactId, bool Helped, string Note, string Actor)
    : ContactCommand(ContactId, Actor);

public sealed record CloseContact(Guid ContactId, string Actor)
    : ContactCommand(ContactId, Actor);

/// <summary>Erases the personal data of a contact that names no resident (a resident's contacts go with the resident).</summary>
public sealed record EraseContactPersonalData(Guid ContactId, string Basis, string? Reference, string Actor)
    : ContactCommand(ContactId, Actor);

/// <summary>Records that the details an unverified contact gave match a resident the council knows; nothing is linked yet.</summary>
public sealed record SuggestResident(Guid ContactId, Guid ResidentId, string Actor)
    : ContactCommand(ContactId, Actor);

/// <summary>
/// A member of staff has satisfied themselves that the contact is from this resident, and records the consent to
/// share that the resident gave them (not the unverified form's answer).
/// </summary>
public sealed record ConfirmResident(Guid ContactId, Guid ResidentId, bool ConsentToShare, string Actor)
    : ContactCommand(ContactId, Actor);
