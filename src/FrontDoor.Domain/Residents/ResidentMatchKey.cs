using System.Globalization;
using System.Text;

namespace FrontDoor.Domain.Residents;

/// <summary>
/// "Tell us once": the same person contacting through different doors should land on one record.
/// The key tolerates the typing differences staff and web forms actually produce (case, spacing,
/// punctuation) but deliberately nothing fuzzier, because a false match would merge two people's records.
/// </summary>
public static class ResidentMatchKey
{
    /// <summary>Returns null when any part is missing: a partial key would match too many people.</summary>
    public static string? From(string? name, DateOnly? dateOfBirth, string? postcode)
    {
        var normalisedName = NormaliseName(name);
        var normalisedPostcode = NormalisePostcode(postcode);
        if (normalisedName is null || normalisedPostcode is null || dateOfBirth is not { } dob)
        {
            return null;
        }

        return $"{normalisedName}|{dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}|{normalisedPostcode}";
    }

    public static string? NormaliseName(string? name)
    {
        // Invisible characters and compatibility forms first: look-alike spellings must meet on one key.
        var cleaned = ResidentName.Clean(name);
        if (cleaned is null)
        {
            return null;
        }

        var builder = new StringBuilder(cleaned.Length);
        var pendingSpace = false;
        foreach (var ch in cleaned)
        {
            if (char.IsWhiteSpace(ch))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (char.IsPunctuation(ch) || char.IsSymbol(ch))
            {
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(char.ToLowerInvariant(ch));
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    public static string? NormalisePostcode(string? postcode)
    {
        if (string.IsNullOrWhiteSpace(postcode))
        {
            return null;
        }

        var builder = new StringBuilder(postcode.Length);
        foreach (var ch in postcode)
        {
            if (char.IsLetterOrDigit(ch))
            {
                builder.Append(char.ToUpperInvariant(ch));
            }
        }

        return builder.Length == 0 ? null : builder.ToString();
    }
}
