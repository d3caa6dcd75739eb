using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Referrals;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;

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

    private static async Task<IResult> HandleAsync(Guid referralId, HttpContext http, IEventStore store, TimeProvider time, CancellationToken cancellationToken)
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

        var ifMatch = http.Request.IfMatchVersion();
        if (ifMatch == -1)
        {
            return JsonBody.Invalid("If-Match", "If-Match must be the ETag of the referral as read.");
        }

        var stream = StreamIds.Referral(referralId);
        var loaded = await Streams.LoadAsync(store, stream, ReferralState.Initial, ReferralDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (!loaded.State.Exists)
        {
            return TypedResults.Problem(title: "Referral not found", detail: $"There is no referral {referralId}.", statusCode: StatusCodes.Status404NotFound);
        }

        if (ifMatch is { } expected && expected != loaded.Version)
        {
            throw new WrongExpectedVersionException(stream, ExpectedVersion.Exact(expected), loaded.Version);
        }

        var decided = ReferralDecider.Decide(loaded.State, new ReassignReferral(referralId, request.Service!, http.Actor()), time.GetUtcNow());
        var version = loaded.Version;
        if (decided.Count > 0)
        {
            version = (await store.AppendAsync(stream, ExpectedVersion.Exact(loaded.Version), Streams.Commanded(decided, http.EventMetadata(loaded.State.ContactId.ToString("D"))), cancellationToken).ConfigureAwait(false)).StreamVersion;
        }

        http.Response.Headers.ETag = RequestContext.ETag(version);
        return TypedResults.Ok(new ReferralActionResponse(referralId, ReferralDecider.Fold(loaded.State, decided).Status, version));
    }
}

public sealed record ReassignReferralRequest(string? Service);
