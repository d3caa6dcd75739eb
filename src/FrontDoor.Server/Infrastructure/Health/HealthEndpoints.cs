using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Infrastructure.Health;

public static class HealthEndpoints
{
    /// <summary>Which process answered: with several nodes behind one address, the report is one node's view.</summary>
    private static readonly string Node = $"{Environment.MachineName}/{Environment.ProcessId}";

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

    private static async Task<IResult> ReadyAsync(StoreConnection store, SubscriptionMonitor monitor, IDashboardConnections dashboards, CancellationToken cancellationToken)
    {
        var reachable = await store.Subscriptions.IsReachableAsync(cancellationToken).ConfigureAwait(false);
        var subscriptions = monitor.Snapshot()
            .Select(s => new SubscriptionHealth(s.Name, ToCode(s.State), s.IsActive, s.Checkpoint, s.Head, s.Lag, s.HandledEvents, s.ParkedEvents, s.LastError))
            .ToArray();
        var ready = reachable && subscriptions.All(s => s.State != "faulted");
        var body = new ReadyResponse(
            ready ? "ready" : "not-ready",
            Node,
            new StoreHealth(store.Provider, reachable),
            subscriptions,
            new LiveHealth(dashboards.Count, dashboards.Dropped));
        return ready ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static string ToCode(SubscriptionState state) => state switch
    {
        SubscriptionState.CatchingUp => "catching-up",
        _ => state.ToString().ToLowerInvariant(),
    };
}

public sealed record LiveResponse(string Status);

public sealed record ReadyResponse(string Status, string Node, StoreHealth Store, IReadOnlyList<SubscriptionHealth> Subscriptions, LiveHealth Live);

public sealed record StoreHealth(string Provider, bool Reachable);

/// <summary>One subscription on this node: <c>active</c> when this node owns it; <c>handled</c> counts events it handled since start.</summary>
public sealed record SubscriptionHealth(string Name, string State, bool Active, long Checkpoint, long Head, long Lag, long Handled, long Parked, string? LastError);

/// <summary>Dashboard connections on this node, and how many were dropped for not reading their pushes.</summary>
public sealed record LiveHealth(int Watchers, long Dropped);
