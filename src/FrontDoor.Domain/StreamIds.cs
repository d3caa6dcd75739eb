namespace FrontDoor.Domain;

/// <summary>Stream names are persisted keys; keeping their format in one place stops the layers drifting apart.</summary>
public static class StreamIds
{
    public static string Contact(Guid contactId) => $"contact-{contactId:D}";

    public static string Referral(Guid referralId) => $"referral-{referralId:D}";

    public static string Resident(Guid residentId) => $"resident-{residentId:D}";
}
