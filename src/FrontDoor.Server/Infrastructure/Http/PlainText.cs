namespace FrontDoor.Server.Infrastructure.Http;

/// <summary>
/// Rules for text that staff type once and many pages show: plain words, no markup and no control characters. Pages
/// encode everything they write, so this is the second line, and it keeps the stored data itself clean for every
/// other reader (exports, partners' systems, the CLI's terminal).
/// </summary>
public static class PlainText
{
    /// <summary>What is wrong with <paramref name="value"/> as plain text, or null when nothing is.</summary>
    public static string? Problem(string? value, int maxLength, bool multiline = false)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            return $"At most {maxLength} characters.";
        }

        if (value.AsSpan().IndexOfAny('<', '>') >= 0)
        {
            return "Plain text only: no < or >.";
        }

        foreach (var c in value)
        {
            if (multiline && c is '\n' or '\r' or '\t')
            {
                continue;
            }

            // Control characters, and the bidirectional overrides that make text read differently from what it holds.
            if (char.IsControl(c) || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069')
            {
                return "No control characters.";
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="value"/> is a link a page may put in an <c>href</c>: absolute, http or https, a host,
    /// no user name or password (which make a link read as one site and go to another).
    /// </summary>
    public static bool IsWebAddress(string? value, int maxLength = 2000) =>
        value is not null
        && value.Length <= maxLength
        && Problem(value, maxLength) is null
        && !value.Any(char.IsWhiteSpace)
        && !value.Contains('"', StringComparison.Ordinal)
        && !value.Contains('\\', StringComparison.Ordinal)
        && Uri.TryCreate(value, UriKind.Absolute, out var url)
        && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
        && url.Host.Length > 0
        && url.UserInfo.Length == 0;
}
