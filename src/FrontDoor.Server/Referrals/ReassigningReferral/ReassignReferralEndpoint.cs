using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Referrals.ActingOnReferral;

namespace FrontDoor.Server.Referrals.ReassigningReferral;

/// <summary><c>POST /api/referrals/{id}/reassign</c> <c>{service}</c>: a manager moves work to another team, keeping its due time.</summary>
public static class ReassignReferralEndpoint
{
    public static IEndpointRouteBuilder MapReassignReferral(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/referrals/{referralId:guid}/reassign", HandleAsync)
            .RequireAuthorization(Policies.Manager)
            .WithName("ReassignReferral")
            .WithTags("Referrals")
            .Accepts<ReassignReferralRequest>("application/json")
            .Produces<ReferralActionResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid referralId, HttpContext http, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ReassignReferralRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (!Vocabulary.IsKnownService(request!.Service))
        {
            return JsonBody.Invalid("service", $"A service is one of {string.Join(", ", Vocabulary.Services)}.");
        }

        // Managers may move any team's work; that is the whole of this endpoint's extra rule.
        return await ReferralActionEndpoints.DecideAndAppendAsync(
            referralId,
            http,
            (id, actor) => new ReassignReferral(id, request.Service!, actor),
            (_, _) => null,
            cancellationToken).ConfigureAwait(false);
    }
}

public sealed record ReassignReferralRequest(string? Service);
