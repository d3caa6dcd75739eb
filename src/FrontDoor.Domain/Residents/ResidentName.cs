using System.Globalization;
using System.Text;

namespace FrontDoor.Domain.Residents;

/// <summary>
/// A resident's name as FrontDoor keeps and matches it. Two names that look the same to the agent must be the same
/// text, or one person becomes two records and consent, subject access and erasure each cover only one of them:
/// so compatibility forms are folded (NFKC: decomposed accents, full-width letters, ligatures), invisible format
/// and control characters (zero-width joiners, BOM, soft hyphen, NUL) are dropped, and white space is collapsed.
/// What cannot be folded safely is refused: a name with no letters, and a name mixing Latin, Greek and Cyrillic
/// letters, whose look-alikes (a Cyrillic "о" in "Jones") no agent could tell apart on screen.
/// </summary>
public static class ResidentName
{
    /// <summary>The name as it is stored and shown; null when nothing but invisible characters and spaces was given.</summary>
    public static string? Clean(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var folded = name.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(folded.Length);
        var pendingSpace = false;
        foreach (var rune in folded.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsWhiteSpace(rune) || category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (category is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(rune.ToString());
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>Why a name cannot be kept as given, or null when it can. Checked on the cleaned name.</summary>
    public static NameProblem? Problem(string? name)
    {
        var cleaned = Clean(name);
        if (cleaned is null)
        {
            return null;
        }

        var scripts = new HashSet<Script>();
        var letters = 0;
        foreach (var rune in cleaned.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune))
            {
                continue;
            }

            letters++;
            if (ScriptOf(rune) is { } script and not Script.Other)
            {
                scripts.Add(script);
            }
        }

        if (letters == 0)
        {
            return new NameProblem("resident.name-no-letters", "A name must contain letters.");
        }

        if (scripts.Count > 1)
        {
            var names = string.Join(" and ", scripts.Order().Select(s => s.ToString()));
            return new NameProblem(
                "resident.name-mixed-scripts",
                $"This name mixes {names} letters, which can look identical; type it again in one alphabet.");
        }

        return null;
    }

    private enum Script
    {
        Latin,
        Greek,
        Cyrillic,
        Other,
    }

    /// <summary>
    /// The three alphabets whose letters are confused with each other. Other scripts are not compared: mixing, say,
    /// Latin and Arabic in one name is legitimate and not a look-alike.
    /// </summary>
    private static Script ScriptOf(Rune rune) => rune.Value switch
    {
        (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') => Script.Latin,
        >= 0x00C0 and <= 0x024F => Script.Latin,
        >= 0x1E00 and <= 0x1EFF => Script.Latin,
        >= 0x2C60 and <= 0x2C7F => Script.Latin,
        >= 0xA720 and <= 0xA7FF => Script.Latin,
        >= 0xAB30 and <= 0xAB6F => Script.Latin,
        >= 0x0370 and <= 0x03FF => Script.Greek,
        >= 0x1F00 and <= 0x1FFF => Script.Greek,
        >= 0x0400 and <= 0x052F => Script.Cyrillic,
        >= 0x1C80 and <= 0x1C8F => Script.Cyrillic,
        >= 0x2DE0 and <= 0x2DFF => Script.Cyrillic,
        >= 0xA640 and <= 0xA69F => Script.Cyrillic,
        _ => Script.Other,
    };
}

public sealed record NameProblem(string Code, string Message);
