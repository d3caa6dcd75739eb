using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
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
            app.MapPost($"/api/residents/{{residentId:guid}}/{path}", (Guid residentId, HttpContext http, CancellationToken cancellationToken) =>
                    ChangeAsync(residentId, http, give, cancellationToken))
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

    private static async Task<IResult> ViewAsync(Guid residentId, HttpContext http, IEventLog store, CancellationToken cancellationToken)
    {
        var loaded = await Streams.LoadAsync(store, StreamKinds.Resident, residentId, cancellationToken).ConfigureAwait(false);
        if (!loaded.State.Exists)
        {
            return StreamCommands.NotFound(StreamKinds.Resident, residentId);
        }

        http.Response.Headers.ETag = RequestContext.ETag(loaded.Version);
        return TypedResults.Ok(Describe(loaded.State, loaded.Version));
    }

    private static async Task<IResult> ChangeAsync(Guid residentId, HttpContext http, bool give, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ConsentRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var services = request!.Services ?? [];
        var partners = request.Partners ?? [];
        return await http.ChangeAsync(StreamKinds.Resident, residentId, new StreamCommand<ResidentState>
        {
            Invalid = Validate(request),
            Decide = (resident, now) => ResidentDecider.Decide(
                resident,
                give
                    ? new GiveConsent(residentId, services, partners, request.Method!, null, http.Actor())
                    : new WithdrawConsent(residentId, services, partners, request.Method!, null, http.Actor()),
                now),
            Respond = changed => TypedResults.Ok(Describe(changed.State, changed.Version)),
        }, cancellationToken).ConfigureAwait(false);
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
}
