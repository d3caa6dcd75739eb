using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

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

    /// <summary>Opened for whoever may see the referral: its outcome and return reason read as null once the resident is erased.</summary>
    private static async Task<IResult> HandleAsync(Guid referralId, HttpContext http, IEventLog store, PersonalDataVault vault, ContactPolicy policy, IStaffDirectory staff, CancellationToken cancellationToken)
    {
        var loaded = await Streams.LoadOpenedAsync(store, vault, StreamIds.Referral(referralId), ReferralState.Initial, ReferralDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (ReferralView.NotFoundFor(http.User, loaded.State, referralId) is { } notFound)
        {
            return notFound;
        }

        // Returned work arrives with where it came from and why, although the team receiving it may not open the
        // referral it replaces (another service's).
        var replaced = loaded.State.PreviousReferralId is { } previous
            ? (await Streams.LoadOpenedAsync(store, vault, StreamIds.Referral(previous), ReferralState.Initial, ReferralDecider.Evolve, cancellationToken).ConfigureAwait(false)).State
            : null;
        var names = await staff.NamesAsync(ReferralView.People(loaded.State, replaced), cancellationToken).ConfigureAwait(false);
        http.Response.Headers.ETag = RequestContext.ETag(loaded.Version);
        return TypedResults.Ok(ReferralView.From(loaded.State, loaded.Version, policy.Sla, replaced, names));
    }
}
