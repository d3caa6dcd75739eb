namespace FrontDoor.Contracts;

public sealed record SuggestNeedsRequest(string? Summary);

public sealed record SuggestNeedsResponse(IReadOnlyList<SuggestedNeed> Needs);

/// <summary>A need the summary suggests, and the phrases that suggested it, so the agent can judge it.</summary>
public sealed record SuggestedNeed(string Need, IReadOnlyList<string> Matched, bool Safeguarding);
