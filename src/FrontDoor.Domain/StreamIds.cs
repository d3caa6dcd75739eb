namespace FrontDoor.Domain;

/// <summary>Stream names are persisted keys; keeping their format in one place stops the layers drifting apart.</summary>
public static class StreamIds
{
    public static string Contact(Guid contactId) => $"contact-{contactId:D}";

    public static string Referral(Guid referralId) => $"referral-{referralId:D}";

    public static string Resident(Guid residentId) => $"resident-{residentId:D}";

    /// <summary>The contact a contact stream is for.</summary>
    public static Guid ContactIdOf(string streamId) =>
        streamId.StartsWith("contact-", StringComparison.Ordinal) && Guid.TryParseExact(streamId["contact-".Length..], "D", out var id)
            ? id
            : throw new ArgumentException($"'{streamId}' is not a contact stream.", nameof(streamId));
}
