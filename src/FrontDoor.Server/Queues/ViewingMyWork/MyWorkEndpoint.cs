using FrontDoor.Contracts;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Queues.ViewingMyWork;

/// <summary>
/// <c>GET /api/my/work</c>: the open referrals the signed-in member of staff holds (claimed or assigned to them),
/// most pressing first. The "My work" page reads it and again whenever their team's queue changes.
/// </summary>
public static class MyWorkEndpoint
{
    public static IEndpointRouteBuilder MapMyWork(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/my/work", HandleAsync)
            .RequireAuthorization(Policies.Caseworker)
            .WithName("ViewMyWork")
            .WithTags("Queues")
            .Produces<MyWorkResponse>();
        return app;
    }

    public static async Task<MyWorkResponse> ReadAsync(StoreConnection store, string holder, CancellationToken cancellationToken)
    {
        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return new MyWorkResponse(holder, await QueueRows.OpenReferralsAsync(connection, "claimed_by = @holder", cancellationToken, null, ("holder", holder)).ConfigureAwait(false));
        }
    }

    private static async Task<IResult> HandleAsync(HttpContext http, StoreConnection store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ReadAsync(store, http.Actor(), cancellationToken).ConfigureAwait(false));
}
