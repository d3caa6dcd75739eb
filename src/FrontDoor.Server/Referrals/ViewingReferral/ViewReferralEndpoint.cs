using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;

namespace FrontDoor.Server.Referrals.ViewingReferral;

public static class ViewReferralEndpoint
{
    public static IEndpointRouteBuilder MapViewReferral(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/referrals/{referralId:guid}", HandleAsync)
            .RequireAuthorization(Policies.Caseworker)
            .WithName("ViewReferral")
            .WithTags("Referrals")
            .Produces<ReferralResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid referralId, HttpContext http, IEventStore store, ContactPolicy policy, CancellationToken cancellationToken)
    {
        var loaded = await Streams.LoadAsync(store, StreamIds.Referral(referralId), ReferralState.Initial, ReferralDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (!loaded.State.Exists || (http.User.IsWorker() && loaded.State.Service != http.User.Service()))
        {
            return TypedResults.Problem(title: "Referral not found", detail: $"There is no referral {referralId}.", statusCode: StatusCodes.Status404NotFound);
        }

        http.Response.Headers.ETag = RequestContext.ETag(loaded.Version);
        return TypedResults.Ok(ReferralView.From(loaded.State, loaded.Version, policy.Sla));
    }
}
