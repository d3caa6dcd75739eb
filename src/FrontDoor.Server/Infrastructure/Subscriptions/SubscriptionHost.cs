using FrontDoor.EventStore;
using FrontDoor.EventStore.Subscriptions;

namespace FrontDoor.Server.Infrastructure.Subscriptions;

/// <summary>A handler registered to run as a named durable subscription.</summary>
public sealed record SubscriptionRegistration(string Name, Type HandlerType);

public static class SubscriptionServiceCollectionExtensions
{
    public static IServiceCollection AddSubscriptionRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<SubscriptionMonitor>();
        services.AddSingleton(configuration.GetSection("Subscriptions").Get<SubscriptionOptions>() ?? new SubscriptionOptions());
        services.AddHostedService<SubscriptionHost>();
        return services;
    }

    /// <summary>Runs <typeparamref name="THandler"/> as the durable subscription <paramref name="name"/>.</summary>
    public static IServiceCollection AddSubscription<THandler>(this IServiceCollection services, string name)
        where THandler : class, ISubscriptionHandler
    {
        services.AddSingleton<THandler>();
        services.AddSingleton(new SubscriptionRegistration(name, typeof(THandler)));
        return services;
    }
}

/// <summary>Runs every registered subscription for the life of the process.</summary>
public sealed class SubscriptionHost : BackgroundService
{
    private readonly IServiceProvider _services;
    private readonly IEnumerable<SubscriptionRegistration> _registrations;

    public SubscriptionHost(IServiceProvider services, IEnumerable<SubscriptionRegistration> registrations)
    {
        _services = services;
        _registrations = registrations;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var store = _services.GetRequiredService<IEventStore>();
        var subscriptions = _services.GetRequiredService<ISubscriptionStore>();
        var monitor = _services.GetRequiredService<SubscriptionMonitor>();
        var options = _services.GetRequiredService<SubscriptionOptions>();
        var loggers = _services.GetRequiredService<ILoggerFactory>();
        var runners = _registrations.Select(r => new SubscriptionRunner(
            r.Name,
            (ISubscriptionHandler)_services.GetRequiredService(r.HandlerType),
            store,
            subscriptions,
            monitor,
            loggers.CreateLogger($"FrontDoor.Subscriptions.{r.Name}"),
            options));
        return Task.WhenAll(runners.Select(runner => Task.Run(() => runner.RunAsync(stoppingToken), stoppingToken)));
    }
}
