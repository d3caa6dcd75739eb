using System.Globalization;
using System.Text;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.PersonalData;

namespace FrontDoor.Server.ReadModels;

/// <summary>How names and postcodes are folded for "tell us once" look-ups, on write and on search alike.</summary>
public static class Search
{
    public static string Name(string? name)
    {
        // The same cleaning as the stored name, so a look-up typed with an invisible character still finds them.
        var cleaned = ResidentName.Clean(name);
        if (cleaned is null)
        {
            return string.Empty;
        }

        var folded = new StringBuilder(cleaned.Length);
        var lastWasSpace = false;
        foreach (var c in cleaned.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c))
            {
                folded.Append(c);
                lastWasSpace = false;
            }
            else if (char.IsWhiteSpace(c) && !lastWasSpace)
            {
                folded.Append(' ');
                lastWasSpace = true;
            }
        }

        return folded.ToString().Trim();
    }

    public static string Postcode(string? postcode) =>
        string.IsNullOrWhiteSpace(postcode)
            ? string.Empty
            : new string(postcode.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();

    /// <summary>A look-up word is matched to this many letters at most, so a long name does not store a term per letter.</summary>
    public const int LongestPrefix = 24;

    /// <summary>A postcode is looked up from its first three characters (the outward code's start).</summary>
    public const int ShortestPostcodePrefix = 3;

    /// <summary>
    /// The blind index terms a resident is found by, under the search key: every start of every word of the name, the
    /// date of birth, and every start of the postcode from three characters. Only these digests are stored; the look-up
    /// asks for the terms of what was typed, so it finds what a typed word starts, not what it contains.
    /// </summary>
    public static string[] TermsOf(PersonalDataKeys keys, string? name, DateOnly? dateOfBirth, string? postcode)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var values = new List<(string, string)>();
        foreach (var word in Name(name).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            for (var length = 1; length <= Math.Min(word.Length, LongestPrefix); length++)
            {
                values.Add(("name", word[..length]));
            }
        }

        if (dateOfBirth is { } dob)
        {
            values.Add(DateValue(dob));
        }

        var folded = Postcode(postcode);
        for (var length = ShortestPostcodePrefix; length <= folded.Length; length++)
        {
            values.Add(("postcode", folded[..length]));
        }

        return [.. keys.SearchTerms(values).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The terms every match must hold: one per typed word, the date of birth, the postcode as far as typed.</summary>
    public static string[] QueryTerms(PersonalDataKeys keys, string nameSearch, DateOnly? dateOfBirth, string postcodeSearch)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(nameSearch);
        ArgumentNullException.ThrowIfNull(postcodeSearch);
        var values = nameSearch.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(word => ("name", word.Length > LongestPrefix ? word[..LongestPrefix] : word))
            .ToList();
        if (dateOfBirth is { } dob)
        {
            values.Add(DateValue(dob));
        }

        // Fewer characters than any stored start of a postcode narrow nothing yet: the look-up widens, not empties.
        if (postcodeSearch.Length >= ShortestPostcodePrefix)
        {
            values.Add(("postcode", postcodeSearch));
        }

        return [.. keys.SearchTerms(values).Distinct(StringComparer.Ordinal)];
    }

    private static (string, string) DateValue(DateOnly dateOfBirth) =>
        ("date-of-birth", dateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>Escapes LIKE's wildcards so what a user types is matched literally.</summary>
    public static string LikeLiteral(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
