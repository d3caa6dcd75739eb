using FrontDoor.Domain;

namespace FrontDoor.Server.Triage.SuggestingNeeds;

/// <summary>How well one need was suggested over a corpus. A need marked "also fine" and suggested counts neither way.</summary>
public sealed record NeedFigures(string Need, int Required, int Found, int Wrong)
{
    public double Recall => Required == 0 ? 1 : (double)Found / Required;

    public double Precision => Found + Wrong == 0 ? 1 : (double)Found / (Found + Wrong);
}

/// <summary>A need a summary required and did not get, or got and should not have.</summary>
public sealed record EvaluationMistake(string Id, string Need, bool Missed, string Text);

public sealed record TriageEvaluationReport(int Examples, IReadOnlyList<NeedFigures> PerNeed, IReadOnlyList<EvaluationMistake> Mistakes, int NegativesWithSuggestions, int Negatives)
{
    public NeedFigures All => Sum("all needs", PerNeed);

    public NeedFigures Safeguarding => Sum("safeguarding", PerNeed.Where(n => Vocabulary.IsSafeguarding(n.Need)));

    private static NeedFigures Sum(string name, IEnumerable<NeedFigures> figures)
    {
        var list = figures.ToList();
        return new NeedFigures(name, list.Sum(f => f.Required), list.Sum(f => f.Found), list.Sum(f => f.Wrong));
    }
}

/// <summary>Scores the suggester against a labelled corpus: the quality gate's test and the triage benchmark share it.</summary>
public static class TriageEvaluation
{
    /// <param name="leaveEachOut">For the tune corpus: score each example as the model that never saw it.</param>
    public static Task<TriageEvaluationReport> EvaluateAsync(TriageSuggestions triage, IReadOnlyList<CorpusExample> corpus, bool leaveEachOut)
    {
        ArgumentNullException.ThrowIfNull(triage);
        return EvaluateAsync((text, index) => Task.FromResult(triage.Suggest(text, leaveEachOut ? index : null).Select(s => s.Need)), corpus);
    }

    /// <summary>Scores any suggester: <paramref name="suggest"/> gets each example's text and its index in the corpus.</summary>
    public static async Task<TriageEvaluationReport> EvaluateAsync(Func<string, int, Task<IEnumerable<string>>> suggest, IReadOnlyList<CorpusExample> corpus)
    {
        ArgumentNullException.ThrowIfNull(suggest);
        ArgumentNullException.ThrowIfNull(corpus);
        var counts = Vocabulary.Needs.ToDictionary(n => n, _ => (Required: 0, Found: 0, Wrong: 0), StringComparer.Ordinal);
        var mistakes = new List<EvaluationMistake>();
        var negatives = 0;
        var noisyNegatives = 0;
        for (var index = 0; index < corpus.Count; index++)
        {
            var example = corpus[index];
            var suggested = (await suggest(example.Text, index).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            if (example.Needs.Count == 0)
            {
                negatives++;
                noisyNegatives += suggested.Except(example.AlsoFine, StringComparer.Ordinal).Any() ? 1 : 0;
            }

            foreach (var need in Vocabulary.Needs)
            {
                var required = example.Needs.Contains(need);
                var got = suggested.Contains(need);
                var (r, f, w) = counts[need];
                if (required)
                {
                    counts[need] = (r + 1, f + (got ? 1 : 0), w);
                    if (!got)
                    {
                        mistakes.Add(new EvaluationMistake(example.Id, need, Missed: true, example.Text));
                    }
                }
                else if (got && !example.AlsoFine.Contains(need))
                {
                    counts[need] = (r, f, w + 1);
                    mistakes.Add(new EvaluationMistake(example.Id, need, Missed: false, example.Text));
                }
            }
        }

        return new TriageEvaluationReport(
            corpus.Count,
            Vocabulary.Needs.Select(n => new NeedFigures(n, counts[n].Required, counts[n].Found, counts[n].Wrong)).ToList(),
            mistakes,
            noisyNegatives,
            negatives);
    }
}
