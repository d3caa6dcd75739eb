using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Infrastructure.Health;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").AllowAnonymous().WithTags("Health");

        // Liveness says only that the process answers; restarting it would not fix a database that is down.
        health.MapGet("/live", () => TypedResults.Ok(new LiveResponse("live")))
            .WithName("HealthLive");

        health.MapGet("/ready", ReadyAsync)
            .WithName("HealthReady");
        return app;
    }

    private static async Task<IResult> ReadyAsync(StoreConnection store, SubscriptionMonitor monitor, CancellationToken cancellationToken)
    {
        var reachable = await store.Subscriptions.IsReachableAsync(cancellationToken).ConfigureAwait(false);
        var subscriptions = monitor.Snapshot()
            .Select(s => new SubscriptionHealth(s.Name, ToCode(s.State), s.Checkpoint, s.Head, s.Lag, s.ParkedEvents, s.LastError))
            .ToArray();
        var ready = reachable && subscriptions.All(s => s.State != "faulted");
        var body = new ReadyResponse(ready ? "ready" : "not-ready", new StoreHealth(store.Provider, reachable), subscriptions);
        return ready ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static string ToCode(SubscriptionState state) => state switch
    {
        SubscriptionState.CatchingUp => "catching-up",
        _ => state.ToString().ToLowerInvariant(),
    };
}

public sealed record LiveResponse(string Status);

public sealed record ReadyResponse(string Status, StoreHealth Store, IReadOnlyList<SubscriptionHealth> Subscriptions);

public sealed record StoreHealth(string Provider, bool Reachable);

public sealed record SubscriptionHealth(string Name, string State, long Checkpoint, long Head, long Lag, long Parked, string? LastError);
