namespace FrontDoor.Domain.Triage;

/// <summary>
/// Phrases that suggest a need. Variants (evict, evicted, eviction) are listed explicitly rather than
/// stemmed, so anyone reading the rules can see exactly what will and will not match.
/// </summary>
public sealed record PhraseRule(string Need, IReadOnlyList<string> Phrases);

/// <summary>A suggested need and the phrases that produced it, so the officer can see why it was suggested.</summary>
public sealed record NeedSuggestion(string Need, IReadOnlyList<string> MatchedPhrases, bool Safeguarding);
