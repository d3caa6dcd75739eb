using FrontDoor.Domain;
using FrontDoor.Domain.Triage;

namespace FrontDoor.Server.Triage.SuggestingNeeds;

/// <summary>
/// Chooses, per need, the model score at which it is suggested, from the tune corpus alone (the held-out set is
/// never seen here). What is tuned is the whole suggester (phrase rules and safeguarding rules, which always stand,
/// plus the model above its threshold), so the model is asked only for what the rules miss.
/// </summary>
public static class ThresholdTuning
{
    /// <summary>
    /// Safeguarding is tuned for recall, never for precision: the highest threshold that still finds this share of
    /// the tune corpus's safeguarding concerns. A false flag costs an agent a glance; a missed one can cost a life.
    /// </summary>
    public const double SafeguardingRecall = 0.99;

    /// <summary>
    /// The share of the tune corpus's safeguarding concerns the model must find on its own. The rules were written
    /// from the tune corpus's wording and find nearly all of it; new wording is the model's to recognise, so it is
    /// never left with a threshold only the tune corpus's phrasing would justify.
    /// </summary>
    public const double SafeguardingRecallByModelAlone = 0.90;

    public static IReadOnlyDictionary<string, double> Tune(IReadOnlyList<CorpusExample> examples, TriageRules rules, Func<int, IReadOnlyList<ModelEvidence>> leftOut)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(leftOut);
        var noModel = new Dictionary<string, double>(StringComparer.Ordinal);
        var cases = examples.Select((example, i) =>
        {
            var clauses = Clauses.Split(example.Text);
            var byRules = TriageSuggester.Suggest(rules, clauses, [], noModel).Select(s => s.Need).ToHashSet(StringComparer.Ordinal);
            var scores = leftOut(i).ToDictionary(e => e.Need, e => e.Score, StringComparer.Ordinal);
            return (Example: example, ByRules: byRules, Scores: scores);
        }).ToList();

        var thresholds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var need in Vocabulary.Needs)
        {
            var candidates = cases.Select(c => c.Scores.GetValueOrDefault(need)).Where(s => s > 0).Distinct().Order().Append(double.PositiveInfinity).ToList();
            (double Threshold, double Recall, double F1) Measure(double threshold, bool withRules)
            {
                int truePositives = 0, falsePositives = 0, falseNegatives = 0;
                foreach (var c in cases)
                {
                    var suggested = (withRules && c.ByRules.Contains(need)) || c.Scores.GetValueOrDefault(need) >= threshold;
                    var required = c.Example.Needs.Contains(need);
                    if (!required && c.Example.AlsoFine.Contains(need))
                    {
                        continue;
                    }

                    truePositives += suggested && required ? 1 : 0;
                    falsePositives += suggested && !required ? 1 : 0;
                    falseNegatives += !suggested && required ? 1 : 0;
                }

                var recall = truePositives + falseNegatives == 0 ? 1 : (double)truePositives / (truePositives + falseNegatives);
                var precision = truePositives + falsePositives == 0 ? 1 : (double)truePositives / (truePositives + falsePositives);
                return (threshold, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
            }

            var measured = candidates.Select(t => Measure(t, withRules: true)).ToList();
            if (Vocabulary.IsSafeguarding(need))
            {
                var withRules = measured.Where(m => m.Recall >= SafeguardingRecall).Select(m => m.Threshold).DefaultIfEmpty(candidates[0]).Max();
                var alone = candidates.Select(t => Measure(t, withRules: false)).Where(m => m.Recall >= SafeguardingRecallByModelAlone).Select(m => m.Threshold).DefaultIfEmpty(candidates[0]).Max();
                thresholds[need] = Math.Min(withRules, alone);
            }
            else
            {
                thresholds[need] = measured.OrderByDescending(m => m.F1).ThenByDescending(m => m.Threshold).First().Threshold;
            }
        }

        return thresholds;
    }
}
