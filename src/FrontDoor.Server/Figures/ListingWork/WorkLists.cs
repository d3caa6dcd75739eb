using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Queues;

namespace FrontDoor.Server.Figures.ListingWork;

/// <summary>
/// <c>GET /api/work?show=…[&amp;service=…]</c>: the list behind each of the wall's figures, so a manager goes from a
/// number to the work it counts. Each list is read with the same condition its figure is counted with.
/// </summary>
public static class WorkLists
{
    public const string Overdue = "overdue";
    public const string Unclaimed = "unclaimed";
    public const string UnclaimedUrgentWork = "unclaimed-urgent";
    public const string ReturnedWork = "returned";
    public const string CheckBacksDue = "check-backs-due";
    public const string WithoutOwner = "without-owner";

    /// <summary>The most a list returns; a manager acts on the top of it.</summary>
    public const int MaxItems = 500;

    /// <summary>Open safeguarding or immediate work that nobody holds: the wall's red-unless-zero figure.</summary>
    public const string UnclaimedUrgent = $"claimed_by IS NULL AND {QueueRows.Urgent}";

    public const string Returned = "status = 'returned'";

    /// <summary>An open contact that nobody owns yet: the "no wrong front door" figure, which must stay at zero.</summary>
    public const string Unowned = "has_owner = 0 AND status <> 'closed'";

    public static IReadOnlyList<string> Shows { get; } = [Overdue, Unclaimed, UnclaimedUrgentWork, ReturnedWork, CheckBacksDue, WithoutOwner];

    public static IEndpointRouteBuilder MapWorkLists(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/work", HandleAsync)
            .RequireAuthorization(Policies.Manager)
            .WithName("ListWork")
            .WithTags("Figures")
            .Produces<WorkListResponse>()
            .ProducesValidationProblem();
        return app;
    }

    public static async Task<WorkListResponse> ReadAsync(StoreConnection store, string show, string? service, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var inService = service is null ? "TRUE" : "service = @service";
            (string, object?)[] parameters = service is null ? [] : [("service", service)];
            var items = show switch
            {
                Overdue => await QueueRows.OpenReferralsAsync(connection, $"overdue = 1 AND {inService}", cancellationToken, MaxItems, parameters).ConfigureAwait(false),
                Unclaimed => await QueueRows.OpenReferralsAsync(connection, $"status = 'raised' AND {inService}", cancellationToken, MaxItems, parameters).ConfigureAwait(false),
                UnclaimedUrgentWork => await QueueRows.OpenReferralsAsync(connection, $"{UnclaimedUrgent} AND {inService}", cancellationToken, MaxItems, parameters).ConfigureAwait(false),
                ReturnedWork => await QueueRows.ReferralsAsync(connection, $"{Returned} AND {inService}", "updated_at_ms DESC, referral_id", cancellationToken, MaxItems, parameters).ConfigureAwait(false),
                CheckBacksDue => service is null or ServiceCodes.FrontDoorTriage
                    ? await QueueRows.CheckBacksAsync(connection, cancellationToken, MaxItems, now).ConfigureAwait(false)
                    : [],
                WithoutOwner => service is null or ServiceCodes.FrontDoorTriage
                    ? await QueueRows.ContactsAsync(connection, Unowned, cancellationToken, MaxItems).ConfigureAwait(false)
                    : [],
                _ => throw new ArgumentOutOfRangeException(nameof(show), show, "Not a list."),
            };
            return new WorkListResponse(show, service, items);
        }
    }

    private static async Task<IResult> HandleAsync(string? show, string? service, StoreConnection store, IStaffDirectory staff, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (show is null || !Shows.Contains(show))
        {
            errors["show"] = [$"show is one of {string.Join(", ", Shows)}."];
        }

        if (service is not null && !Vocabulary.IsKnownService(service))
        {
            errors["service"] = [$"A service is one of {string.Join(", ", Vocabulary.Services)}."];
        }

        if (errors.Count > 0)
        {
            return JsonBody.Invalid(errors);
        }

        var list = await ReadAsync(store, show!, service, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(list with { Names = await staff.NamesAsync(QueueRows.Holders(list.Items), cancellationToken).ConfigureAwait(false) });
    }
}
