using System.Text;
using FrontDoor.Domain.Residents;

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

    /// <summary>Escapes LIKE's wildcards so what a user types is matched literally.</summary>
    public static string LikeLiteral(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
