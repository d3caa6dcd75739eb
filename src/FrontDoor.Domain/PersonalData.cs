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

    public static bool IsKnown(string? basis) => basis is Request or Retention;
}
