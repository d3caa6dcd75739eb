namespace FrontDoor.Contracts;

/// <summary>
/// What the agent typed so far; any part may be left out. <c>reference</c> is a contact's short reference, the eight
/// letters and digits the resident was given (the public form's confirmation says it): it finds that contact's resident.
/// </summary>
public sealed record ResidentSearchRequest(string? Name, string? DateOfBirth, string? Postcode, string? Reference = null);

public sealed record ResidentSearchResponse(IReadOnlyList<ResidentMatch> Residents);

/// <summary>"Tell us once": a resident we already know, with their earlier contacts and open referrals.</summary>
public sealed record ResidentMatch(
    Guid ResidentId,
    string Name,
    string? DateOfBirth,
    string? Postcode,
    int ContactCount,
    IReadOnlyList<EarlierContact> Contacts,
    IReadOnlyList<OpenReferral> OpenReferrals);

public sealed record EarlierContact(Guid ContactId, string Channel, string? SiteId, string Status, DateTimeOffset ReceivedAt, IReadOnlyList<string> Needs);

public sealed record OpenReferral(Guid ReferralId, Guid ContactId, string Service, string Priority, string Status, DateTimeOffset DueAt);

/// <summary>
/// Why the resident's personal data is to be erased: <c>basis</c> is one of <c>request</c> (the resident asked),
/// <c>retention</c>, <c>recorded-in-error</c>, <c>other-legal-basis</c>; <c>reference</c>, optional, is a code such as
/// a request's number (<c>SAR-2026-0042</c>: letters, digits and <c>/ . _ -</c>, at most 40). Both are kept after the
/// erasure, so neither may be free text.
/// </summary>
public sealed record EraseResidentRequest(string? Basis, string? Reference = null);

/// <summary>A manager merges <c>mergedResidentId</c> into this record: they are the same person. <c>reason</c> is kept, sealed.</summary>
public sealed record MergeResidentsRequest(Guid? MergedResidentId, string? Reason);

public sealed record MergeResidentsResponse(Guid ResidentId, Guid MergedResidentId, long Version);

public sealed record ErasureResponse(Guid ResidentId, DateTimeOffset ErasedAt, string ErasedBy, string Basis, string? Reference);

/// <summary>
/// Consent given or withdrawn: <c>services</c> are service codes, <c>partners</c> community directory organisation
/// ids, <c>method</c> one of <c>spoken</c>, <c>written</c>, <c>web-form</c>.
/// </summary>
public sealed record ConsentRequest(IReadOnlyList<string>? Services, IReadOnlyList<string>? Partners, string? Method);

/// <summary>The resident's consent as it now stands.</summary>
public sealed record ConsentResponse(Guid ResidentId, IReadOnlyList<string> Services, IReadOnlyList<string> Partners, long Version);

/// <summary>Everything the council holds about one resident, for a subject access request.</summary>
public sealed record SubjectAccessResponse(
    Guid ResidentId,
    DateTimeOffset GeneratedAt,
    string GeneratedBy,
    SubjectAccessDetails Details,
    ConsentResponse Consent,
    IReadOnlyList<ConsentHistoryEntry> ConsentHistory,
    IReadOnlyList<ContactResponse> Contacts,
    IReadOnlyList<AccessLogEntry> AccessLog,
    ErasureResponse? Erasure,
    IReadOnlyList<MergedRecordView>? MergedRecords = null,
    IReadOnlyList<SubjectAccessCaseNote>? CaseNotes = null);

/// <summary>A note a team wrote on a case about the resident, with the contact and referral it belongs to.</summary>
public sealed record SubjectAccessCaseNote(Guid ContactId, Guid ReferralId, string Service, Guid NoteId, string? Text, string By, DateTimeOffset At);

/// <summary>A record found to be the same person and merged into this one: its details as held, and the merge.</summary>
public sealed record MergedRecordView(Guid ResidentId, SubjectAccessDetails Details, DateTimeOffset MergedAt, string MergedBy, string? Reason);

/// <summary>The resident's details as held; every field null and <c>erased</c> true once they are erased.</summary>
public sealed record SubjectAccessDetails(bool Erased, string? Name, string? DateOfBirth, string? Postcode, string? Phone, string? Email);

/// <summary><c>change</c> is <c>given</c> or <c>withdrawn</c>.</summary>
public sealed record ConsentHistoryEntry(DateTimeOffset At, string Change, IReadOnlyList<string> Services, IReadOnlyList<string> Partners, string Method, string RecordedBy, Guid? ContactId);

/// <summary>Who has looked at the resident's personal data.</summary>
public sealed record AccessLogResponse(Guid ResidentId, IReadOnlyList<AccessLogEntry> Entries);

/// <summary>One look at the resident's personal data: who, in which role and service, at what, through which request.</summary>
public sealed record AccessLogEntry(DateTimeOffset At, string Viewer, string Role, string? Service, string Subject, Guid? ContactId, string Purpose);
