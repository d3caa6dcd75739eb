using System.Data.Common;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Queues.ViewingQueue;

/// <summary>
/// <c>GET /api/queues/{service}</c>: a team's open work, most pressing first (priority, then due time), so
/// safeguarding is always at the top. The front door's own queue also holds check-backs with residents.
/// </summary>
public static class ViewQueueEndpoint
{
    /// <summary>The most a screen asks for at once; a team works from the top of its queue.</summary>
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapViewQueue(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/queues/{service}", HandleAsync)
            .RequireAuthorization(Policies.Caseworker)
            .WithName("ViewQueue")
            .WithTags("Queues")
            .Produces<QueueResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    /// <summary>The queue, or with <paramref name="limit"/> only its most pressing items.</summary>
    public static async Task<QueueResponse> ReadAsync(DbConnection connection, string service, CancellationToken cancellationToken, int? limit = null)
    {
        var items = await QueueRows.OpenReferralsAsync(connection, "service = @service", cancellationToken, limit, ("service", service)).ConfigureAwait(false);

        if (service == ServiceCodes.FrontDoorTriage)
        {
            var followUps = await QueueRows.CheckBacksAsync(connection, cancellationToken, limit).ConfigureAwait(false);
            items = items.Concat(followUps)
                .OrderByDescending(i => PriorityCodes.Rank(i.Priority))
                .ThenBy(i => i.DueAt)
                .Take(limit ?? int.MaxValue)
                .ToList();
        }

        return new QueueResponse(service, items);
    }

    private static async Task<IResult> HandleAsync(string service, string? limit, HttpContext http, StoreConnection store, IStaffDirectory staff, CancellationToken cancellationToken)
    {
        if (!Vocabulary.IsKnownService(service))
        {
            return JsonBody.Invalid("service", $"'{service}' is not a service; use one of {string.Join(", ", Vocabulary.Services)}.");
        }

        int? top = null;
        if (limit is not null)
        {
            // Read as text, so a limit that is not a number gets the same named error as one out of range.
            if (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n is < 1 or > MaxLimit)
            {
                return JsonBody.Invalid("limit", $"limit is a whole number from 1 to {MaxLimit}: how many of the most pressing items to return.");
            }

            top = n;
        }

        if (!http.User.MaySeeQueue(service))
        {
            return TypedResults.Problem(title: "Forbidden", detail: $"You do not work the {service} queue.", statusCode: StatusCodes.Status403Forbidden);
        }

        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var queue = await ReadAsync(connection, service, cancellationToken, top).ConfigureAwait(false);
            return TypedResults.Ok(queue with { Names = await staff.NamesAsync(QueueRows.Holders(queue.Items), cancellationToken).ConfigureAwait(false) });
        }
    }
}
