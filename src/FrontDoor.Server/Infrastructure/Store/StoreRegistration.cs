using System.Data.Common;
using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.PersonalData;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Wolverine.Marten;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>The opened store: FrontDoor's log on Marten, and the embedded server if FrontDoor runs its own.</summary>
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

    public IEventLog Events => _store;

    /// <summary>Changes by decision: a stream fetched for writing, appended to at the version fetched.</summary>
    public IStreamWriting Writing => _store;

    /// <summary>One transaction over the log for a reaction or a rebuild: reads, appends to several streams, commits once.</summary>
    public Task<IStoreUnitOfWork> BeginUnitOfWorkAsync(CancellationToken cancellationToken) => _store.BeginUnitOfWorkAsync(cancellationToken);

    /// <summary>Every event of each of several streams, in version order, in one round trip.</summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<RecordedEvent>>> ReadStreamsAsync(IReadOnlyCollection<string> streamIds, CancellationToken cancellationToken) =>
        _store.ReadStreamsAsync(streamIds, cancellationToken);

    /// <summary>Rebuilds an inline read model with Marten's daemon while the pages keep working.</summary>
    public Task<RebuildReport> RebuildAsync(IRebuildableProjection projection, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken) =>
        _store.RebuildAsync(projection, progress, cancellationToken);

    /// <summary>The personal-data key ring, opened and checked against the stored subject keys with the store.</summary>
    public PersonalData.PersonalDataKeys? KeyRing { get; internal set; }

    /// <summary>Cheap round trip used by readiness checks.</summary>
    public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => _store.IsReachableAsync(cancellationToken);

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

/// <summary>
/// The PostgreSQL server FrontDoor's store lives on, known before the host is built: the one configured, or the
/// embedded one already started, because the message store (Wolverine's) is configured with its address.
/// </summary>
public sealed record StoreServer(string ConnectionString, EmbeddedPostgres? Embedded, string Description)
{
    /// <summary>Starts (or joins) the embedded PostgreSQL when no connection string is configured.</summary>
    public static async Task<StoreServer> PrepareAsync(StoreOptions options, string contentRoot, bool ownEmbeddedServer, ILogger? log = null, CancellationToken cancellationToken = default)
    {
        if (!options.IsEmbedded)
        {
            return new StoreServer(options.ConnectionString!, null, $"PostgreSQL schema {options.Schema}");
        }

        var dataFolder = Path.GetFullPath(options.DataFolder, contentRoot);
        var embedded = await EmbeddedPostgres.StartAsync(options.Embedded, dataFolder, ownEmbeddedServer, log ?? NullLogger.Instance, cancellationToken).ConfigureAwait(false);
        return new StoreServer(
            embedded.ConnectionString,
            embedded,
            $"embedded PostgreSQL {embedded.Version} in {Path.Combine(dataFolder, "postgres")}, schema {options.Schema}");
    }
}

public static class StoreRegistration
{
    /// <summary>The connections Marten and Wolverine use themselves, apart from the log's (see <see cref="MartenEventLog.CreateDataSource"/>).</summary>
    private const string MartenConnections = "marten";

    /// <summary>
    /// The server's store: Marten registered with <c>AddMarten</c> and integrated with Wolverine (whose messages live
    /// in the same schema and join Marten's transactions), and FrontDoor's log on that Marten store.
    /// </summary>
    public static IServiceCollection AddEventLog(this IServiceCollection services, IConfiguration configuration, StoreServer server)
    {
        services.AddOptions<StoreOptions>().Bind(configuration.GetSection(StoreOptions.Section));
        var schema = (configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions()).Schema;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(server);
        services.AddSingleton(_ => MartenEventLog.CreateDataSource(server.ConnectionString, schema));
        services.AddKeyedSingleton(MartenConnections, (_, _) => MartenEventLog.CreateDataSource(server.ConnectionString, schema, sharedWithLibraries: true));
        services.AddSingleton(provider => LogOptions(server.ConnectionString, schema, provider.GetServices<Marten.Events.Projections.IProjection>(), provider.GetService<IAppendOutbox>(), provider.GetServices<AsyncProjection>()));
        services.AddMarten(provider =>
            {
                var marten = new Marten.StoreOptions();
                MartenEventLog.ConfigureMarten(marten, provider.GetRequiredService<EventLogOptions>(), provider.GetRequiredKeyedService<Npgsql.NpgsqlDataSource>(MartenConnections));
                return marten;
            })
            // Wolverine's node agents decide which node runs the daemon's projections, as they do its other work.
            .IntegrateWithWolverine(wolverine => wolverine.UseWolverineManagedEventSubscriptionDistribution = true);
        services.AddSingleton(provider =>
        {
            // Opening migrates the schema; it happens once, while the host starts, before anything serves requests.
            // The server owns the embedded PostgreSQL: it stops it on the way out, even one left running by its own crash.
            return OpenAsync(provider, server).GetAwaiter().GetResult();
        });
        services.AddSingleton(provider => provider.GetRequiredService<StoreConnection>().Events);
        services.AddSingleton(provider => provider.GetRequiredService<StoreConnection>().Writing);
        return services;
    }

    private static async Task<StoreConnection> OpenAsync(IServiceProvider provider, StoreServer server)
    {
        try
        {
            var store = await MartenEventLog.OpenAsync(
                provider.GetRequiredService<EventLogOptions>(),
                provider.GetRequiredService<Npgsql.NpgsqlDataSource>(),
                provider.GetRequiredService<Marten.IDocumentStore>(),
                provider.GetServices<PostgresMigration>(),
                provider.GetRequiredService<TimeProvider>()).ConfigureAwait(false);
            return await WithKeyRingAsync(new StoreConnection(store, server.Embedded, server.Description), provider, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            if (server.Embedded is not null)
            {
                await server.Embedded.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>FrontDoor's event log: the domain's events under their stored names, personal ones only as sealed.</summary>
    public static EventLogOptions LogOptions(string connectionString, string schema, IEnumerable<Marten.Events.Projections.IProjection>? inlineProjections = null, IAppendOutbox? outbox = null, IEnumerable<AsyncProjection>? asyncProjections = null) => new()
    {
        ConnectionString = connectionString,
        Schema = schema,
        EventTypes = DomainEvents.Types,
        HoldsPersonalData = SealedFields.HoldsPersonalData,
        ReadSealed = Events.DomainEventSerializer.FromStored,
        StreamFolds = Events.StreamKinds.Folds,
        InlineProjections = inlineProjections?.ToList() ?? [],
        AsyncProjections = asyncProjections?.ToList() ?? [],
        Outbox = outbox ?? NoReactions.Instance,
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
        bool withAsyncProjections = false,
        CancellationToken cancellationToken = default)
    {
        var server = await StoreServer.PrepareAsync(options, contentRoot, ownEmbeddedServer, log, cancellationToken).ConfigureAwait(false);
        return await OpenAsync(server, options.Schema, services, time, withAsyncProjections, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens the log on a prepared server; a failure to open stops the embedded server it would have owned. Async
    /// projections are left out unless asked for (to rebuild one): the servers' daemon runs them (it reads whatever a
    /// command appends), and a command's own store, which runs no daemon, would only warn at every start that they
    /// are not run.
    /// </summary>
    public static async Task<StoreConnection> OpenAsync(StoreServer server, string schema, IServiceProvider services, TimeProvider time, bool withAsyncProjections = false, CancellationToken cancellationToken = default)
    {
        try
        {
            var store = await MartenEventLog.OpenAsync(
                LogOptions(
                    server.ConnectionString,
                    schema,
                    services.GetServices<Marten.Events.Projections.IProjection>(),
                    services.GetService<IAppendOutbox>(),
                    withAsyncProjections ? services.GetServices<AsyncProjection>() : null),
                services.GetServices<PostgresMigration>(),
                time,
                cancellationToken).ConfigureAwait(false);
            return await WithKeyRingAsync(new StoreConnection(store, server.Embedded, server.Description), services, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (server.Embedded is not null)
            {
                await server.Embedded.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// Opens the personal-data key ring against the migrated schema: a ring that cannot open the stored subject keys
    /// (or none, over a database that holds some) stops the store from opening at all.
    /// </summary>
    private static async Task<StoreConnection> WithKeyRingAsync(StoreConnection store, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<PersonalData.PersonalDataKeys>() is not { } ring)
        {
            return store;
        }

        try
        {
            var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await ring.OpenAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            store.KeyRing = ring;
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
