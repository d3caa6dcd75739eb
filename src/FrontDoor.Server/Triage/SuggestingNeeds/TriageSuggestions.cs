using FrontDoor.Domain.Triage;

namespace FrontDoor.Server.Triage.SuggestingNeeds;

/// <summary>
/// The one way FrontDoor suggests needs from what a resident said: the agent console's endpoint and the public
/// form both ask here. Rules always answer; the language model adds what it recognises once it has loaded.
/// </summary>
/// <remarks>
/// The public form asks <see cref="SuggestFromRules"/>: what it suggests is recorded as the contact's needs with
/// no agent to confirm it, so only the exact rules (phrases and safeguarding combinations) may add needs there. The
/// model's suggestions are a second pair of eyes for an agent, who decides.
/// </remarks>
public sealed class TriageSuggestions(TriageRules rules, NeedModelHost model)
{
    public IReadOnlyList<TriageSuggestion> Suggest(string summary) => Suggest(summary, leaveOut: null);

    /// <summary><paramref name="leaveOut"/>: the index of a tune example the model never saw (measuring the tune set).</summary>
    public IReadOnlyList<TriageSuggestion> Suggest(string summary, int? leaveOut)
    {
        var clauses = Clauses.Split(summary);
        IReadOnlyCollection<ModelEvidence> evidence = [];
        IReadOnlyDictionary<string, double> thresholds = NoThresholds;
        var loaded = model.Ready;
        if (loaded is not null && EnglishText.IsLikely(summary))
        {
            // Each part on its own (a contact often carries several people and needs) and the whole; a denied part
            // is left out, or it would carry the denied concern back in ("no concerns about the children" is, in
            // meaning, about the children).
            var parts = loaded.Embed(clauses);
            if (parts.Length > 0)
            {
                evidence = loaded.Evidence(parts, leaveOut);
                thresholds = loaded.Thresholds;
            }
        }

        return TriageSuggester.Suggest(rules, clauses, evidence, thresholds);
    }

    public IReadOnlyList<TriageSuggestion> SuggestFromRules(string summary) =>
        TriageSuggester.Suggest(rules, Clauses.Split(summary), [], NoThresholds);

    private static readonly Dictionary<string, double> NoThresholds = new(StringComparer.Ordinal);
}
