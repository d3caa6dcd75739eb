using System.Text;

namespace FrontDoor.Domain.Triage;

public static class NeedSuggester
{
    /// <summary>
    /// Suggests needs whose phrases appear in the summary as whole words, ignoring case and punctuation.
    /// Safeguarding comes first whatever the counts, because that is the suggestion an officer must not miss.
    /// </summary>
    public static IReadOnlyList<NeedSuggestion> Suggest(TriageRules rules, string? summary)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var text = Normalise(summary);
        if (text.Length == 0)
        {
            return [];
        }

        var padded = $" {text} ";
        var suggestions = new List<(NeedSuggestion Suggestion, int Order)>();
        for (var i = 0; i < rules.Rules.Count; i++)
        {
            var rule = rules.Rules[i];
            var matched = rule.Phrases
                .Where(p => Normalise(p) is { Length: > 0 } phrase && padded.Contains($" {phrase} ", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (matched.Count > 0)
            {
                suggestions.Add((new NeedSuggestion(rule.Need, matched, Vocabulary.IsSafeguarding(rule.Need)), i));
            }
        }

        return suggestions
            .OrderByDescending(s => s.Suggestion.Safeguarding)
            .ThenByDescending(s => s.Suggestion.MatchedPhrases.Count)
            .ThenBy(s => s.Order)
            .Select(s => s.Suggestion)
            .ToList();
    }

    /// <summary>
    /// Lower-cases and turns every run of non-alphanumerics into one space, so "can't", "CAN'T" and
    /// "can’t" all read the same and phrase boundaries are word boundaries.
    /// </summary>
    internal static string Normalise(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var ch in value)
        {
            if (char.IsLetterOrDigit(ch))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                pendingSpace = false;
                builder.Append(char.ToLowerInvariant(ch));
            }
            else
            {
                pendingSpace = true;
            }
        }

        return builder.ToString();
    }
}
