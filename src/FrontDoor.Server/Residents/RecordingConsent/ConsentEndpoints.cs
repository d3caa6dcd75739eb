using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FrontDoor.Server.Residents.RecordingConsent;

/// <summary>
/// <c>/api/residents/{id}/consent</c>: what the resident agrees to share, and with whom. Giving and withdrawing are
/// events on the resident's record, and what a service worker sees follows the current consent from the next read.
/// </summary>
public static class ConsentEndpoints
{
    public static IEndpointRouteBuilder MapConsent(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/residents/{residentId:guid}/consent", ViewAsync)
            .RequireAuthorization(Policies.AgentOrManager)
            .WithName("ViewConsent")
            .WithTags("Residents")
            .Produces<ConsentResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        foreach (var (path, name, give) in new[] { ("consent", "GiveConsent", true), ("consent/withdrawal", "WithdrawConsent", false) })
        {
            app.MapPost($"/api/residents/{{residentId:guid}}/{path}", (Guid residentId, HttpContext http, IEventStore store, TimeProvider time, CancellationToken cancellationToken) =>
                    ChangeAsync(residentId, http, store, time, give, cancellationToken))
                .RequireAuthorization(Policies.AgentOrManager)
                .WithName(name)
                .WithTags("Residents")
                .Accepts<ConsentRequest>("application/json")
                .Produces<ConsentResponse>()
                .ProducesValidationProblem()
                .ProducesProblem(StatusCodes.Status404NotFound)
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        }

        return app;
    }

    public static ConsentResponse Describe(ResidentState state, long version) =>
        new(state.ResidentId, state.ConsentedServices.ToList(), state.ConsentedPartners.ToList(), version);

    private static async Task<IResult> ViewAsync(Guid residentId, HttpContext http, IEventStore store, CancellationToken cancellationToken)
    {
        var loaded = await Streams.LoadAsync(store, StreamIds.Resident(residentId), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (!loaded.State.Exists)
        {
            return NotFound(residentId);
        }

        http.Response.Headers.ETag = $"\"{loaded.Version}\"";
        return TypedResults.Ok(Describe(loaded.State, loaded.Version));
    }

    private static async Task<IResult> ChangeAsync(Guid residentId, HttpContext http, IEventStore store, TimeProvider time, bool give, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ConsentRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = Validate(request!);
        var ifMatch = http.Request.IfMatchVersion();
        if (ifMatch == -1)
        {
            errors["If-Match"] = ["If-Match must be the ETag of the resident's record as read."];
        }

        if (errors.Count > 0)
        {
            return JsonBody.Invalid(errors);
        }

        var stream = StreamIds.Resident(residentId);
        var loaded = await Streams.LoadAsync(store, stream, ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (!loaded.State.Exists)
        {
            return NotFound(residentId);
        }

        var services = request!.Services ?? [];
        var partners = request.Partners ?? [];
        ResidentCommand command = give
            ? new GiveConsent(residentId, services, partners, request.Method!, null, http.Actor())
            : new WithdrawConsent(residentId, services, partners, request.Method!, null, http.Actor());
        var decided = ResidentDecider.Decide(loaded.State, command, time.GetUtcNow());
        var version = loaded.Version;
        if (decided.Count > 0)
        {
            var appended = await store.AppendAsync(stream, ExpectedVersion.Exact(ifMatch ?? loaded.Version), Streams.Commanded(decided, http.EventMetadata()), cancellationToken).ConfigureAwait(false);
            version = appended.StreamVersion;
        }

        http.Response.Headers.ETag = $"\"{version}\"";
        return TypedResults.Ok(Describe(ResidentDecider.Fold(loaded.State, decided), version));
    }

    private static Dictionary<string, string[]> Validate(ConsentRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ConsentMethods.IsKnown(request.Method))
        {
            errors["method"] = [$"Say how consent was obtained: one of {string.Join(", ", ConsentMethods.All)}."];
        }

        var services = request.Services ?? [];
        var partners = request.Partners ?? [];
        if (services.Count == 0 && partners.Count == 0)
        {
            errors["services"] = ["Name at least one service or partner."];
        }

        var unknown = services.Where(s => !Vocabulary.ReferralServices.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            errors["services"] = [$"Not a service consent can cover: {string.Join(", ", unknown)}."];
        }

        var badPartners = partners.Where(p => !ResidentDecider.IsPartnerCode(p)).ToList();
        if (badPartners.Count > 0)
        {
            errors["partners"] = [$"A partner is a directory organisation id: letters, digits and dashes, at most {ResidentDecider.MaxPartnerCodeLength}."];
        }

        return errors;
    }

    private static ProblemHttpResult NotFound(Guid residentId) =>
        TypedResults.Problem(title: "Resident not found", detail: $"There is no resident {residentId}.", statusCode: StatusCodes.Status404NotFound);
}
