namespace FrontDoor.Contracts;

public sealed record SuggestNeedsRequest(string? Summary);

public sealed record SuggestNeedsResponse(IReadOnlyList<SuggestedNeed> Needs);

/// <summary>
/// A need the summary suggests, and why, so the agent can judge it: <c>matched</c> holds the words that raised it
/// (phrase rules and safeguarding combinations), <c>similarTo</c> the corpus examples nearest in meaning when the
/// language model raised it, <c>because</c> the reasons in a sentence. Safeguarding suggestions come first.
/// </summary>
public sealed record SuggestedNeed(string Need, IReadOnlyList<string> Matched, bool Safeguarding, string Because, IReadOnlyList<SimilarSummary> SimilarTo);

/// <summary>An example summary from the triage corpus, and its cosine similarity (0–1) to what the resident said.</summary>
public sealed record SimilarSummary(string Text, double Similarity);

/// <summary>The triage language model on this node: <c>off</c>, <c>loading</c>, <c>ready</c> or <c>failed</c> (the rules answer meanwhile).</summary>
public sealed record TriageModelStatus(string Status, int Examples, double? LoadedInSeconds);
