namespace FrontDoor.Domain;

/// <summary>
/// An event field holding a resident's personal data. The log keeps such a field only as ciphertext under the data
/// subject's own key, so deleting that key erases the field from every copy of the log at once (crypto-shredding)
/// while the event itself, and everything derived from its other fields, stays intact.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PersonalDataAttribute : Attribute;

/// <summary>
/// An event with <see cref="PersonalDataAttribute"/> fields. Its subject is the person whose key seals them: the
/// resident, or the contact itself when the resident gave no name.
/// </summary>
public interface IPersonalDataEvent : IDomainEvent
{
    /// <summary>A method, not a property, so it never becomes a stored field of its own.</summary>
    Guid DataSubjectId();
}

/// <summary>Why a resident's personal data was erased: at their request, or because every record passed its retention period.</summary>
public static class ErasureBases
{
    public const string Request = "request";
    public const string Retention = "retention";

    public const int MaxReasonLength = 500;

    public static bool IsKnown(string? basis) => basis is Request or Retention;

    /// <summary>The reason as it is recorded (trimmed); an erasure always says on what basis and why.</summary>
    internal static string Checked(string? basis, string? reason)
    {
        if (!IsKnown(basis))
        {
            throw new DomainException("erasure.unknown-basis", $"'{basis}' is not a basis for erasure.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("erasure.reason-required", "An erasure records why it was made.");
        }

        var trimmed = reason.Trim();
        return trimmed.Length <= MaxReasonLength
            ? trimmed
            : throw new DomainException("erasure.reason-too-long", $"A reason is at most {MaxReasonLength} characters.");
    }
}
