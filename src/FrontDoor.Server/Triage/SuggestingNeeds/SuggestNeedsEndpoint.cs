using FrontDoor.Contracts;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;

namespace FrontDoor.Server.Triage.SuggestingNeeds;

/// <summary>
/// <c>POST /api/triage/suggest</c>: needs a summary suggests, each with why (the words that matched, the corpus
/// examples nearest in meaning). Suggestions only: the agent confirms what the resident needs.
/// </summary>
public static class SuggestNeedsEndpoint
{
    public static IEndpointRouteBuilder MapSuggestNeeds(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/triage/suggest", HandleAsync)
            .RequireAuthorization(Policies.Agent)
            .WithName("SuggestNeeds")
            .WithTags("Triage")
            .Accepts<SuggestNeedsRequest>("application/json")
            .Produces<SuggestNeedsResponse>()
            .ProducesValidationProblem();
        // Whether suggestions include the language model's yet: it loads in the background after start-up.
        app.MapGet("/api/triage/model", (NeedModelHost model) => TypedResults.Ok(new TriageModelStatus(model.Status, model.Ready?.Examples ?? 0, model.Ready?.LoadedIn.TotalSeconds)))
            .RequireAuthorization(Policies.Agent)
            .WithName("TriageModelStatus")
            .WithTags("Triage")
            .Produces<TriageModelStatus>();
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, TriageSuggestions triage, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<SuggestNeedsRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(request!.Summary))
        {
            return JsonBody.Invalid("summary", "A summary is required.");
        }

        if (request.Summary.Length > ContactDecider.MaxSummaryLength)
        {
            return JsonBody.Invalid("summary", $"The summary is {request.Summary.Length} characters; the limit is {ContactDecider.MaxSummaryLength}.");
        }

        var suggestions = triage.Suggest(request.Summary);
        return TypedResults.Ok(new SuggestNeedsResponse(suggestions
            .Select(s => new SuggestedNeed(s.Need, s.Matched, s.Safeguarding, s.Because, s.SimilarTo.Select(e => new SimilarSummary(e.Text, e.Similarity)).ToList()))
            .ToList()));
    }
}
