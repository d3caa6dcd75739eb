namespace FrontDoor.Domain.Triage;

/// <summary>An example from the triage corpus close in meaning to what the resident said.</summary>
public sealed record SimilarExample(string Text, double Similarity);

/// <summary>What the language model says of one need: how strongly the summary suggests it, and the nearest examples.</summary>
public sealed record ModelEvidence(string Need, double Score, IReadOnlyList<SimilarExample> SimilarTo);

/// <summary>A suggested need, with every reason it was suggested, so the agent can judge it.</summary>
public sealed record TriageSuggestion(
    string Need,
    IReadOnlyList<string> Matched,
    bool Safeguarding,
    string Because,
    IReadOnlyList<SimilarExample> SimilarTo);

/// <summary>
/// Combines the three sources of suggestions: the phrase rules (exact and transparent), the safeguarding
/// combinations (rules that cannot be tuned away), and the language model's nearest examples (meaning, not
/// wording). A need is suggested when any source raises it; a source never removes what another raised, which is
/// what keeps a safeguarding concern from being lost to a threshold. Everything is a suggestion: the agent decides.
/// </summary>
public static class TriageSuggester
{
    private static readonly Dictionary<string, int> NeedOrder = Vocabulary.Needs.Select((need, i) => (need, i)).ToDictionary(n => n.need, n => n.i, StringComparer.Ordinal);

    public static IReadOnlyList<TriageSuggestion> Suggest(
        TriageRules rules,
        IReadOnlyList<Clause> clauses,
        IReadOnlyCollection<ModelEvidence> model,
        IReadOnlyDictionary<string, double> thresholds)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(clauses);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(thresholds);

        var matched = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var clause in clauses.Where(c => !c.Denies))
        {
            foreach (var suggestion in NeedSuggester.Suggest(rules, clause.Text))
            {
                Add(matched, suggestion.Need, suggestion.MatchedPhrases);
            }
        }

        var signals = SafeguardingSignals.Raise(clauses);
        foreach (var signal in signals)
        {
            Add(matched, signal.Need, signal.Words);
        }

        var byModel = model
            .Where(e => Vocabulary.IsKnownNeed(e.Need) && e.Score >= thresholds.GetValueOrDefault(e.Need, double.PositiveInfinity))
            .ToDictionary(e => e.Need, StringComparer.Ordinal);

        var needs = matched.Keys.Union(byModel.Keys, StringComparer.Ordinal);
        return needs
            .Select(need =>
            {
                var words = matched.GetValueOrDefault(need) ?? [];
                var evidence = byModel.GetValueOrDefault(need);
                return new TriageSuggestion(need, words, Vocabulary.IsSafeguarding(need), Because(need, words, signals, evidence), evidence?.SimilarTo ?? []);
            })
            .OrderByDescending(s => s.Safeguarding)
            .ThenByDescending(s => s.Matched.Count + (s.SimilarTo.Count > 0 ? 1 : 0))
            .ThenBy(s => NeedOrder[s.Need])
            .ToList();
    }

    private static string Because(string need, IReadOnlyList<string> words, IReadOnlyList<SafeguardingSignal> signals, ModelEvidence? evidence)
    {
        var reasons = new List<string>();
        reasons.AddRange(signals.Where(s => s.Need == need).Select(s => $"{s.Because} (\u201c{string.Join("\u201d, \u201c", s.Words)}\u201d)"));
        var phrases = words.Except(signals.Where(s => s.Need == need).SelectMany(s => s.Words), StringComparer.Ordinal).ToList();
        if (phrases.Count > 0)
        {
            reasons.Add($"the words \u201c{string.Join("\u201d, \u201c", phrases)}\u201d");
        }

        if (evidence is not null)
        {
            reasons.Add(evidence.SimilarTo.Count == 1 ? "close in meaning to an example of this need" : $"close in meaning to {evidence.SimilarTo.Count} examples of this need");
        }

        var because = string.Join("; ", reasons);
        return because.Length == 0 ? because : char.ToUpperInvariant(because[0]) + because[1..] + ".";
    }

    private static void Add(Dictionary<string, List<string>> matched, string need, IEnumerable<string> words)
    {
        if (!matched.TryGetValue(need, out var list))
        {
            matched[need] = list = [];
        }

        list.AddRange(words.Where(w => !list.Contains(w, StringComparer.Ordinal)));
    }
}
