namespace FrontDoor.Domain.Triage;

/// <summary>One part of a summary that says one thing, and whether it denies a concern rather than raising one.</summary>
public sealed record Clause(string Text, bool Denies);

/// <summary>
/// Splits a summary into the parts that each say one thing. A contact often carries several people and several
/// needs ("Mum rang about the rent arrears. No concerns about the children."), and a denial in one part must
/// silence that part only: the rent arrears still stand.
/// </summary>
public static class Clauses
{
    /// <summary>Words that turn the rest of a sentence into a new statement; "but" is where a denial usually ends.</summary>
    private static readonly string[] Turns = [" but ", " however ", " although ", " though ", " whereas ", " except that "];

    /// <summary>
    /// Phrases that deny a concern. Deliberately explicit and short: a denial hides what follows it in its clause,
    /// so a loose cue ("no", "not") would hide real concerns ("not been fed", "no food in").
    /// </summary>
    private static readonly string[] Denials = Padded(
    [
        "no concerns", "no concern", "no worries", "not worried", "nothing to worry", "no safeguarding",
        "no issues with", "no problems with", "no problem with", "feels safe", "feel safe", "says she is safe",
        "says he is safe", "is safe at home", "are safe", "well looked after", "not homeless", "not at risk",
        "no risk", "not in debt", "no debts", "plenty of food", "doesn't need any help", "does not need any help",
        "not a carer", "isn't a carer", "no longer homeless", "no longer needs",
    ]);

    public static IReadOnlyList<Clause> Split(string? summary)
    {
        if (string.IsNullOrWhiteSpace(summary))
        {
            return [];
        }

        var clauses = new List<Clause>();
        foreach (var sentence in summary.Split(['.', '!', '?', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var part in SplitOnTurns(sentence))
            {
                var normalised = NeedSuggester.Normalise(part);
                if (normalised.Length > 0)
                {
                    clauses.Add(new Clause(part, Denials.Any(d => $" {normalised} ".Contains(d, StringComparison.Ordinal))));
                }
            }
        }

        return clauses;
    }

    private static string[] Padded(string[] phrases) => phrases.Select(p => $" {NeedSuggester.Normalise(p)} ").ToArray();

    private static IEnumerable<string> SplitOnTurns(string sentence)
    {
        var rest = sentence;
        while (true)
        {
            var at = -1;
            var length = 0;
            foreach (var turn in Turns)
            {
                var found = rest.IndexOf(turn, StringComparison.OrdinalIgnoreCase);
                if (found > 0 && (at < 0 || found < at))
                {
                    at = found;
                    length = turn.Length;
                }
            }

            if (at < 0)
            {
                yield return rest.Trim(' ', ',');
                yield break;
            }

            yield return rest[..at].Trim(' ', ',');
            rest = rest[(at + length)..];
        }
    }
}
