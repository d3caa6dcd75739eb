using FrontDoor.Server.Infrastructure.Messaging;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Live;
using Wolverine.Runtime;

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

        // Readiness for load balancers and orchestrators, who need the status code and nothing else: the host name,
        // process id, event counts and last errors tell an anonymous caller too much about the inside.
        health.MapGet("/ready", async (StoreConnection store, LivePushes pushes, IDashboardConnections dashboards, CancellationToken ct) =>
            {
                // Load balancers ask this every few seconds: no message counts, which the status does not depend on.
                var report = await ReportAsync(store, pushes, dashboards, wolverine: null, ct).ConfigureAwait(false);
                return Answer(report, new ReadyStatus(report.Status));
            })
            .WithName("HealthReady")
            .Produces<ReadyStatus>()
            .Produces<ReadyStatus>(StatusCodes.Status503ServiceUnavailable);

        // The same check with this node's view of every subscription and of live connections, for operators (outside
        // the anonymous group, so nothing there can open it up).
        app.MapGet("/health/ready/details", async (StoreConnection store, LivePushes pushes, IDashboardConnections dashboards, IWolverineRuntime wolverine, IEnumerable<AsyncProjection> daemon, CancellationToken ct) =>
            {
                var report = await ReportAsync(store, pushes, dashboards, wolverine, ct, daemon).ConfigureAwait(false);
                return Answer(report, report);
            })
            .RequireAuthorization(Policies.Operator)
            .WithTags("Health")
            .WithName("HealthReadyDetails")
            .Produces<ReadyResponse>()
            .Produces<ReadyResponse>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>
    /// This node's readiness; with <paramref name="wolverine"/>, also its messages and where Marten's daemon has
    /// projected to (a few more queries, for operators).
    /// </summary>
    private static async Task<ReadyResponse> ReportAsync(StoreConnection store, LivePushes pushes, IDashboardConnections dashboards, IWolverineRuntime? wolverine, CancellationToken cancellationToken, IEnumerable<AsyncProjection>? daemon = null)
    {
        var reachable = await store.IsReachableAsync(cancellationToken).ConfigureAwait(false);
        // The one follower of the log left on a node is its live pushes; reactions are messages (see messages).
        var (state, handled, lastError) = pushes.Status;
        var head = reachable && wolverine is not null ? await store.Events.ReadHeadPositionAsync(cancellationToken).ConfigureAwait(false) : pushes.Position;
        var subscriptions = new List<SubscriptionHealth> { new(LivePushes.Name, state, Active: true, pushes.Position, head, Math.Max(0, head - pushes.Position), handled, Parked: 0, lastError) };
        if (reachable && wolverine is not null && daemon is not null)
        {
            subscriptions.AddRange(await DaemonAsync(store, wolverine, daemon, head, cancellationToken).ConfigureAwait(false));
        }

        var ready = reachable;
        return new ReadyResponse(
            ready ? "ready" : "not-ready",
            Node,
            new StoreHealth("postgres", reachable),
            subscriptions,
            new LiveHealth(dashboards.Count, dashboards.Dropped),
            reachable && wolverine is not null ? await MessagesAsync(store, wolverine, cancellationToken).ConfigureAwait(false) : null);
    }

    /// <summary>
    /// Marten's daemon's projections, run on whichever node Wolverine assigned them to (<c>active</c> on that one):
    /// the position each has projected to, from its progress row, which every node can read. A projection the daemon
    /// has not started yet shows 0.
    /// </summary>
    private static async Task<IEnumerable<SubscriptionHealth>> DaemonAsync(StoreConnection store, IWolverineRuntime wolverine, IEnumerable<AsyncProjection> projections, long head, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var agents = wolverine.Agents.AllRunningAgentUris().Select(agent => agent.ToString()).ToList();
                var health = new List<SubscriptionHealth>();
                foreach (var projection in projections)
                {
                    var position = await AsyncProjection.ProjectedUpToAsync(connection, projection.ShardName, cancellationToken).ConfigureAwait(false);
                    var active = agents.Exists(agent => agent.Contains(projection.Name, StringComparison.OrdinalIgnoreCase));
                    health.Add(new SubscriptionHealth(projection.Name, position >= head ? "live" : "catching-up", active, position, head, Math.Max(0, head - position), Handled: position, Parked: 0, LastError: null));
                }

                return health;
            }
        }
        catch (System.Data.Common.DbException)
        {
            return [];
        }
    }

    /// <summary>
    /// Dead letters are reported, not counted against readiness: one bad message must not take a node out of the load
    /// balancer while every other message flows.
    /// </summary>
    private static async Task<MessagesHealth?> MessagesAsync(StoreConnection store, IWolverineRuntime wolverine, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var counts = await DeadLetters.CountAsync(connection, cancellationToken).ConfigureAwait(false);
                var agents = wolverine.Agents.AllRunningAgentUris().Select(agent => agent.ToString()).Order(StringComparer.Ordinal).ToArray();
                return new MessagesHealth(counts.Waiting, counts.Scheduled, counts.DeadLetters, agents);
            }
        }
        catch (System.Data.Common.DbException)
        {
            return null;
        }
    }

    private static IResult Answer<T>(ReadyResponse report, T body) =>
        report.Status == "ready" ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);

}

public sealed record LiveResponse(string Status);

/// <summary>Readiness alone: <c>ready</c> (200) or <c>not-ready</c> (503).</summary>
public sealed record ReadyStatus(string Status);

public sealed record ReadyResponse(string Status, string Node, StoreHealth Store, IReadOnlyList<SubscriptionHealth> Subscriptions, LiveHealth Live, MessagesHealth? Messages);

/// <summary>
/// Wolverine's durable messages in the store: reactions to the log not yet handled (<c>waiting</c>, the backlog),
/// scheduled ones waiting for their time, dead letters (see the <c>dead-letters</c> command), and the Wolverine agents
/// this node runs (the one named <c>wolverinedb://…</c> handles scheduled messages as they come due; several nodes
/// hold it one at a time).
/// </summary>
public sealed record MessagesHealth(long Waiting, long Scheduled, long DeadLetters, IReadOnlyList<string> Agents);

public sealed record StoreHealth(string Provider, bool Reachable);

/// <summary>
/// A follower of the log — this node's live pushes, which every node runs for its own connections, and Marten's
/// daemon's projections, which one node runs: where it has got to (<c>checkpoint</c>), the head of the log, and the
/// events it handled (since start for the pushes; for a daemon projection, the position it has projected to).
/// <c>parked</c> stays 0: a push that fails is tried again, and the log's reactions fail into dead letters instead.
/// </summary>
public sealed record SubscriptionHealth(string Name, string State, bool Active, long Checkpoint, long Head, long Lag, long Handled, long Parked, string? LastError);

/// <summary>Dashboard connections on this node, and how many were dropped for not reading their pushes.</summary>
public sealed record LiveHealth(int Watchers, long Dropped);
