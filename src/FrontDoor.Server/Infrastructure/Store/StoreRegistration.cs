using System.Data.Common;
using FrontDoor.Domain;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Infrastructure.PersonalData;
using Microsoft.Extensions.Logging.Abstractions;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>The opened store: the log on Marten with its subscription support on PostgreSQL, and the embedded server if FrontDoor runs its own.</summary>
public sealed class StoreConnection : IAsyncDisposable
{
    private readonly MartenEventLog _store;
    private readonly EmbeddedPostgres? _embedded;

    public StoreConnection(MartenEventLog store, EmbeddedPostgres? embedded, string description)
    {
        _store = store;
        _embedded = embedded;
        Description = description;
    }

    public IEventStore Events => _store;

    public ISubscriptionStore Subscriptions => _store;

    /// <summary>Where the data lives, without secrets.</summary>
    public string Description { get; }

    /// <summary>The private server FrontDoor started in its data folder, or null when it uses one it was pointed at.</summary>
    public EmbeddedPostgres? Embedded => _embedded;

    /// <summary>A connection to the store's database for reading read models (unqualified table names resolve to FrontDoor's).</summary>
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _store.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync().ConfigureAwait(false);
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync().ConfigureAwait(false);
        }
    }
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
            var log = provider.GetRequiredService<ILoggerFactory>().CreateLogger<EmbeddedPostgres>();

            // Opening starts the embedded server if there is one and migrates the schema; it happens once, while the
            // host starts, before anything serves requests. The server owns the embedded PostgreSQL: it stops it on
            // the way out, even one left running by its own crash.
            return OpenAsync(options, environment.ContentRootPath, provider, time, ownEmbeddedServer: true, log).GetAwaiter().GetResult();
        });
        services.AddSingleton(provider => provider.GetRequiredService<StoreConnection>().Events);
        services.AddSingleton(provider => provider.GetRequiredService<StoreConnection>().Subscriptions);
        return services;
    }

    /// <summary>FrontDoor's event log: the domain's events under their stored names, personal ones only as sealed.</summary>
    public static EventLogOptions LogOptions(string connectionString, string schema, IEnumerable<Marten.Events.Projections.IProjection>? inlineProjections = null) => new()
    {
        ConnectionString = connectionString,
        Schema = schema,
        EventTypes = DomainEvents.Types,
        HoldsPersonalData = SealedFields.HoldsPersonalData,
        InlineProjections = inlineProjections?.ToList() ?? [],
    };

    /// <summary>
    /// Opens the configured PostgreSQL, or starts (or joins) the embedded one in the data folder. With
    /// <paramref name="ownEmbeddedServer"/> false an embedded server that was already running is left running on
    /// dispose (an operator's command beside a running FrontDoor).
    /// </summary>
    public static async Task<StoreConnection> OpenAsync(
        StoreOptions options,
        string contentRoot,
        IServiceProvider services,
        TimeProvider time,
        bool ownEmbeddedServer,
        ILogger? log = null,
        CancellationToken cancellationToken = default)
    {
        EmbeddedPostgres? embedded = null;
        var connectionString = options.ConnectionString;
        var description = $"PostgreSQL schema {options.Schema}";
        if (options.IsEmbedded)
        {
            var dataFolder = Path.GetFullPath(options.DataFolder, contentRoot);
            embedded = await EmbeddedPostgres.StartAsync(options.Embedded, dataFolder, ownEmbeddedServer, log ?? NullLogger.Instance, cancellationToken).ConfigureAwait(false);
            connectionString = embedded.ConnectionString;
            description = $"embedded PostgreSQL {embedded.Version} in {Path.Combine(dataFolder, "postgres")}, schema {options.Schema}";
        }

        try
        {
            var store = await MartenEventLog.OpenAsync(
                LogOptions(connectionString!, options.Schema, services.GetServices<Marten.Events.Projections.IProjection>()),
                services.GetServices<PostgresMigration>(),
                time,
                cancellationToken).ConfigureAwait(false);
            return new StoreConnection(store, embedded, description);
        }
        catch
        {
            if (embedded is not null)
            {
                await embedded.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }
}
