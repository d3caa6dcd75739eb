using System.Data.Common;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Postgres;
using FrontDoor.EventStore.Sqlite;
using FrontDoor.EventStore.Subscriptions;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>The opened store: the log and its subscription support, whichever backend is configured.</summary>
public sealed class StoreConnection : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;

    private readonly Func<CancellationToken, Task<DbConnection>> _openConnection;

    public StoreConnection(
        string provider,
        IEventStore events,
        ISubscriptionStore subscriptions,
        Func<CancellationToken, Task<DbConnection>> openConnection,
        IAsyncDisposable owner,
        string description)
    {
        _openConnection = openConnection;
        Provider = provider;
        Events = events;
        Subscriptions = subscriptions;
        _owner = owner;
        Description = description;
    }

    public string Provider { get; }

    public IEventStore Events { get; }

    public ISubscriptionStore Subscriptions { get; }

    /// <summary>Where the data lives, without secrets.</summary>
    public string Description { get; }

    /// <summary>A connection to the store's database for reading read models (unqualified table names resolve to FrontDoor's).</summary>
    public Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _openConnection(cancellationToken);

    public ValueTask DisposeAsync() => _owner.DisposeAsync();
}

public static class StoreRegistration
{
    public static IServiceCollection AddEventStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoreOptions>().Bind(configuration.GetSection(StoreOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider =>
        {
            var options = configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
            var environment = provider.GetRequiredService<IHostEnvironment>();
            var time = provider.GetRequiredService<TimeProvider>();

            // Opening migrates the schema; it happens once, while the host starts, before anything serves requests.
            return OpenAsync(options, environment.ContentRootPath, provider, time).GetAwaiter().GetResult();
        });
        services.AddSingleton(provider => provider.GetRequiredService<StoreConnection>().Events);
        services.AddSingleton(provider => provider.GetRequiredService<StoreConnection>().Subscriptions);
        return services;
    }

    public static async Task<StoreConnection> OpenAsync(StoreOptions options, string contentRoot, IServiceProvider services, TimeProvider time)
    {
        switch (options.Provider.Trim().ToLowerInvariant())
        {
            case "postgres" or "postgresql":
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new InvalidOperationException("Store:ConnectionString is required when Store:Provider is postgres.");
                }

                var postgres = await PostgresEventStore.OpenAsync(
                    new PostgresStoreOptions { ConnectionString = options.ConnectionString, Schema = options.Schema },
                    services.GetServices<PostgresMigration>(),
                    time).ConfigureAwait(false);
                return new StoreConnection(
                    "postgres",
                    postgres,
                    postgres,
                    async ct => await postgres.DataSource.OpenConnectionAsync(ct).ConfigureAwait(false),
                    postgres, $"PostgreSQL schema {options.Schema}");

            case "sqlite":
                var path = string.IsNullOrWhiteSpace(options.ConnectionString)
                    ? Path.Combine(contentRoot, options.DataFolder, "frontdoor.db")
                    : Path.GetFullPath(options.ConnectionString, contentRoot);
                var sqlite = SqliteEventStore.Open(
                    new SqliteStoreOptions { Path = path, Synchronous = options.SqliteSynchronous },
                    services.GetServices<SqliteMigration>(),
                    time);
                return new StoreConnection("sqlite", sqlite, sqlite, _ => Task.FromResult<DbConnection>(sqlite.OpenConnection()), sqlite, $"SQLite file {path}");

            default:
                throw new InvalidOperationException($"Store:Provider '{options.Provider}' is not known; use sqlite or postgres.");
        }
    }
}
