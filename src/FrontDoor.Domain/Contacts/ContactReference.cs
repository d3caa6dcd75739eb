namespace FrontDoor.Domain.Contacts;

/// <summary>
/// The short reference a resident is given for a contact: the first eight hex digits of its id, upper case. It opens
/// nothing on its own; staff use it to find the contact (and its resident) when the resident quotes it back.
/// </summary>
public static class ContactReference
{
    public const int Length = 8;

    public static string Of(Guid contactId) => contactId.ToString("N")[..Length].ToUpperInvariant();

    /// <summary>Whether <paramref name="text"/> is written as a reference is (either case; residents type it as they read it).</summary>
    public static bool IsReference(string? text) => text is { Length: Length } && text.All(char.IsAsciiHexDigit);

    /// <summary>The start every id of a contact with this reference has, as ids are written (lower case, <c>D</c> format).</summary>
    public static string IdPrefix(string reference) =>
        IsReference(reference) ? reference.ToLowerInvariant() : throw new ArgumentException($"'{reference}' is not a contact reference.", nameof(reference));
}
