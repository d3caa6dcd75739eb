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

/// <summary>
/// Why a data subject's personal data was erased, as a code, with an optional reference (a request's number, say).
/// The erasure is kept forever, after the key is gone, so what it records must never be personal: free text
/// ("Mrs Jones rang on Tuesday…") would outlive the very data it erased. A reference is therefore held to a short
/// code shape that can carry a case number but not a sentence.
/// </summary>
public static partial class ErasureBases
{
    /// <summary>The person asked (UK GDPR Art. 17(1)).</summary>
    public const string Request = "request";

    /// <summary>Every record passed its retention period: the data is no longer needed.</summary>
    public const string Retention = "retention";

    /// <summary>The record should never have been made (a wrong person, a duplicate, a test).</summary>
    public const string RecordedInError = "recorded-in-error";

    /// <summary>Another legal ground: a court order, an obligation under other law, an upheld objection.</summary>
    public const string OtherLegalBasis = "other-legal-basis";

    public const string ReferencePattern = "^[A-Za-z0-9][A-Za-z0-9/._-]{0,39}$";

    public const int MaxReferenceLength = 40;

    public static IReadOnlyList<string> All { get; } = [Request, Retention, RecordedInError, OtherLegalBasis];

    public static bool IsKnown(string? basis) => basis is not null && All.Contains(basis);

    /// <summary>Whether <paramref name="reference"/> is a code such as <c>SAR-2026-0042</c>: letters, digits and <c>/ . _ -</c>, at most 40.</summary>
    public static bool IsSafeReference(string reference) => SafeReference().IsMatch(reference);

    /// <summary>The reference as it is recorded (trimmed; null when none was given); an erasure always says on what basis.</summary>
    internal static string? Checked(string? basis, string? reference)
    {
        if (!IsKnown(basis))
        {
            throw new DomainException("erasure.unknown-basis", $"'{basis}' is not a basis for erasure; use one of {string.Join(", ", All)}.");
        }

        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }

        var trimmed = reference.Trim();
        return IsSafeReference(trimmed)
            ? trimmed
            : throw new DomainException("erasure.reference-not-a-code", "A reference is a code such as SAR-2026-0042 (letters, digits and / . _ -, at most 40), never free text.");
    }

    [System.Text.RegularExpressions.GeneratedRegex(ReferencePattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial System.Text.RegularExpressions.Regex SafeReference();
}
