namespace FrontDoor.Domain.Audit;

/// <summary>
/// Someone looked at a resident's personal data. Kept in the log, per resident (or per contact where the resident is
/// not known), so "who has viewed this resident?" is a read of one stream.
/// </summary>
public sealed record PersonalDataViewed(
    string Subject,
    Guid? ResidentId,
    Guid? ContactId,
    string Viewer,
    string ViewerRole,
    string? ViewerService,
    string Purpose,
    string Actor,
    DateTimeOffset At) : INamedEvent
{
    public static string EventType => "personal-data-viewed.v1";
}

public static class AccessSubjects
{
    public const string Contact = "contact";
    public const string ResidentSearch = "resident-search";
    public const string SubjectAccess = "subject-access";
}

public static class AccessStreams
{
    /// <summary>The access log of a resident, or of a contact whose resident is not known.</summary>
    public static string For(Guid? residentId, Guid? contactId) =>
        residentId is { } resident ? $"access-{resident:D}" : $"access-{contactId!.Value:D}";
}
