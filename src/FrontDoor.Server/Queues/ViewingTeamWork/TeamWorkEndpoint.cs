using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Staff;

namespace FrontDoor.Server.Queues.ViewingTeamWork;

/// <summary>
/// <c>GET /api/teams/{service}/work</c>: who in a team holds what, and for how long, for the team's manager — the
/// work nobody holds first, then the colleagues with overdue work, then the rest by how much they hold; colleagues
/// with nothing are listed too, as the people with room. Workers ask it of their own team, to hand work to a colleague.
/// </summary>
public static class TeamWorkEndpoint
{
    public static IEndpointRouteBuilder MapTeamWork(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/teams/{service}/work", HandleAsync)
            .RequireAuthorization(Policies.Caseworker)
            .WithName("ViewTeamWork")
            .WithTags("Queues")
            .Produces<TeamWorkResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    public static async Task<TeamWorkResponse> ReadAsync(StoreConnection store, StaffDirectory staff, string service, int? cap, CancellationToken cancellationToken)
    {
        List<QueueItem> items;
        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            items = await QueueRows.OpenReferralsAsync(connection, "service = @service", cancellationToken, null, ("service", service)).ConfigureAwait(false);
        }

        var colleagues = await staff.WorkingForAsync(service, cancellationToken).ConfigureAwait(false);
        var names = await staff.NamesAsync(QueueRows.Holders(items), cancellationToken).ConfigureAwait(false);

        // Someone may hold work here who no longer works for the service (moved team): they are listed all the same.
        var holders = colleagues.Select(c => c.UserId)
            .Union(QueueRows.Holders(items), StringComparer.Ordinal)
            .Select(id =>
            {
                var held = items.Where(i => i.ClaimedBy == id).ToList();
                return new HolderView(
                    id,
                    names.TryGetValue(id, out var name) ? name : colleagues.FirstOrDefault(c => c.UserId == id)?.Name ?? id,
                    held.Count,
                    held.Count(i => i.Overdue),
                    held.Select(i => i.HeldSince).Min(),
                    held);
            })
            .OrderByDescending(h => h.Overdue)
            .ThenByDescending(h => h.Open)
            .ThenBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        return new TeamWorkResponse(service, [.. items.Where(i => i.ClaimedBy is null)], holders, cap);
    }

    private static async Task<IResult> HandleAsync(string service, HttpContext http, StoreConnection store, StaffDirectory staff, PolicyConfiguration settings, CancellationToken cancellationToken)
    {
        if (!Vocabulary.IsKnownService(service))
        {
            return JsonBody.Invalid("service", $"'{service}' is not a service; use one of {string.Join(", ", Vocabulary.Services)}.");
        }

        if (!http.User.MaySeeQueue(service))
        {
            return TypedResults.Problem(title: "Forbidden", detail: $"You do not work for {service}.", statusCode: StatusCodes.Status403Forbidden);
        }

        return TypedResults.Ok(await ReadAsync(store, staff, service, settings.MaxOpenReferralsPerWorker, cancellationToken).ConfigureAwait(false));
    }
}
