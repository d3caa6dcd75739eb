using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Postgresql;

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

    /// <summary>How long a node that stopped answering keeps its work before another takes it (Wolverine's default is a minute).</summary>
    public TimeSpan StaleNodeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Wolverine on FrontDoor's PostgreSQL: durable local queues whose messages (scheduled ones included) live in the
/// store's own schema, so a message outlives the node that scheduled it and runs once a node is up.
/// </summary>
public static class MessagingRegistration
{
    public static IHostBuilder UseFrontDoorMessaging(this IHostBuilder host, IConfiguration configuration, string connectionString, string schema, bool embedded)
    {
        var options = configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions();
        return host.UseWolverine(wolverine =>
        {
            wolverine.ServiceName = "frontdoor";
            wolverine.ApplicationAssembly = typeof(MessagingRegistration).Assembly;
            wolverine.PersistMessagesWithPostgresql(connectionString, schema);
            wolverine.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;
            wolverine.Policies.UseDurableLocalQueues();
            wolverine.Durability.Mode = options.Solo ?? embedded ? DurabilityMode.Solo : DurabilityMode.Balanced;
            wolverine.Durability.ScheduledJobPollingTime = options.ScheduledPolling;
            wolverine.Durability.StaleNodeTimeout = options.StaleNodeTimeout;

            // Handlers are generated ahead of time (bash ops/codegen.sh) and compiled into the server, so no compiler is
            // loaded at run time; a handler without its generated code stops the host, which MessagingTests checks.
            wolverine.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;

            // A message that keeps failing is retried with growing pauses, then kept as a dead letter to be replayed.
            wolverine.Policies.OnAnyException()
                .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5))
                .Then.MoveToErrorQueue();
        });
    }
}
