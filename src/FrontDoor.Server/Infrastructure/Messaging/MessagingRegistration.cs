using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine;
using Wolverine.ErrorHandling;

namespace FrontDoor.Server.Infrastructure.Messaging;

/// <summary>The <c>Messaging</c> configuration section: how this node takes part in Wolverine's durable messaging.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>
    /// One node alone on its database (the embedded default, a test): it runs every agent itself from the first second,
    /// instead of waiting for a leader to be elected and to hand work out. Unset, it is solo exactly when embedded.
    /// </summary>
    public bool? Solo { get; set; }

    /// <summary>How often the node looks for scheduled messages that have come due (Wolverine's default is 5 s).</summary>
    public TimeSpan ScheduledPolling { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a node that stopped proving it is alive keeps its work — the reactions it recorded and had not yet
    /// handled, and the agents it ran — before the others take it (Wolverine's default is a minute).
    /// </summary>
    public TimeSpan StaleNodeTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// How often each node proves it is alive and looks for nodes that stopped, and how often work released from a
    /// stopped node is picked up (Wolverine's defaults are 10 s and 5 s): with the stale-node timeout, how long a
    /// killed node's work waits. Eight missed proofs make a node stale, so a live node under load is not taken for
    /// dead; the three waits after the timeout (noticing, reassigning, picking up) stay short beside it.
    /// </summary>
    public TimeSpan HealthCheckPolling { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How many messages of one queue a node handles at once (Wolverine's default is the cores, at least 5). A
    /// reaction spends nearly all its time waiting on PostgreSQL, not on a core.
    /// </summary>
    public int Parallelism { get; set; } = 20;

    /// <summary>
    /// How long a reaction this node recorded may sit unhandled and out of its hands before any node takes it up
    /// (Wolverine's inbox stale time; unset in Wolverine). A reaction is recorded in the append's transaction and
    /// handed to the local queue once the commit is acknowledged; when the database dies between its commit and the
    /// acknowledgement, the append looks failed, the reaction is stored and no queue holds it. Rows a node still
    /// holds, queued or running, have their clock restarted by Wolverine, so a long backlog is not taken twice.
    /// </summary>
    public TimeSpan InboxStaleTime { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Wolverine on FrontDoor's PostgreSQL: durable local queues whose messages (scheduled ones included) live in the
/// store's own schema, so a message outlives the node that scheduled it and runs once a node is up.
/// </summary>
public static class MessagingRegistration
{
    /// <summary>
    /// The pauses between attempts at a reaction while the database cannot be reached: a database restarting or
    /// failing over is waited out (some two minutes in all) rather than turning every reaction in flight into a dead
    /// letter; only after the last pause is the reaction kept as one.
    /// </summary>
    private static readonly TimeSpan[] StoreUnavailableRetries =
        [.. new[] { 0.1, 0.5, 1, 2, 3, 5, 5, 10, 10, 15, 15, 20, 30 }.Select(TimeSpan.FromSeconds)];

    public static IHostBuilder UseFrontDoorMessaging(this IHostBuilder host, IConfiguration configuration, bool embedded)
    {
        var options = configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions();
        return host.UseWolverine(wolverine =>
        {
            wolverine.ServiceName = "frontdoor";
            wolverine.ApplicationAssembly = typeof(MessagingRegistration).Assembly;
            // The message store is Marten's (IntegrateWithWolverine, see StoreRegistration): same database, same schema.
            wolverine.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;
            wolverine.Policies.UseDurableLocalQueues();
            wolverine.Policies.AllLocalQueues(queue => queue.MaximumParallelMessages(options.Parallelism));
            wolverine.Durability.Mode = options.Solo ?? embedded ? DurabilityMode.Solo : DurabilityMode.Balanced;
            wolverine.Durability.ScheduledJobPollingTime = options.ScheduledPolling;
            wolverine.Durability.StaleNodeTimeout = options.StaleNodeTimeout;
            wolverine.Durability.HealthCheckPollingTime = options.HealthCheckPolling;
            wolverine.Durability.NodeReassignmentPollingTime = options.HealthCheckPolling;
            wolverine.Durability.OrphanedMessageSweepPollingTime = options.HealthCheckPolling;
            wolverine.Durability.InboxStaleTime = options.InboxStaleTime;

            // Handlers are generated ahead of time (bash ops/codegen.sh) and compiled into the server, so no compiler is
            // loaded at run time; a handler without its generated code stops the host, which MessagingTests checks.
            wolverine.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;

            // Two reactions writing one stream at once: the loser reads the stream again and decides on what it finds.
            wolverine.Policies.OnException<FrontDoor.Server.Infrastructure.Store.WrongExpectedVersionException>()
                .RetryWithCooldown(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1))
                .Then.MoveToErrorQueue();

            // The database away (restarting, failing over, a dropped connection) is not the message's fault.
            wolverine.Policies.OnException(FrontDoor.Server.Infrastructure.Store.StoreFailures.IsTransient, "the database could not be reached")
                .RetryWithCooldown(StoreUnavailableRetries)
                .Then.MoveToErrorQueue();

            // A message that keeps failing is retried with growing pauses, then kept as a dead letter to be replayed.
            wolverine.Policies.OnAnyException()
                .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5))
                .Then.MoveToErrorQueue();
        });
    }
}
