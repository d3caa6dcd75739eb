using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FrontDoor.Testing;

/// <summary>FrontDoor in-process on a real store: a fresh SQLite file or a fresh PostgreSQL schema per instance.</summary>
public sealed class FrontDoorApp : WebApplicationFactory<Program>
{
    private readonly string _backend;
    private readonly string? _sqliteFolder;
    private readonly string? _postgresConnection;
    private readonly string? _schema;
    private string _dataFolder = Path.Combine(Path.GetTempPath(), "frontdoor-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);
    private Action<IServiceCollection>? _services;

    private FrontDoorApp(string backend, string? sqliteFolder, string? postgresConnection, string? schema)
    {
        _backend = backend;
        _sqliteFolder = sqliteFolder;
        _postgresConnection = postgresConnection;
        _schema = schema;
    }

    public static TheoryData<string> Backends => new("sqlite", "postgres");

    /// <summary>The address of the real Kestrel server, when started with <c>kestrel: true</c>.</summary>
    public Uri? Address { get; private set; }

    public static async Task<FrontDoorApp> StartAsync(string backend, IReadOnlyDictionary<string, string?>? settings = null, bool kestrel = false, Action<IServiceCollection>? services = null)
    {
        var app = backend switch
        {
            "sqlite" => new FrontDoorApp(backend, Path.Combine(Path.GetTempPath(), "frontdoor-tests", Guid.NewGuid().ToString("N")), null, null),
            "postgres" => new FrontDoorApp(backend, null, await TestPostgres.ConnectionStringAsync(), TestPostgres.NewSchema()),
            _ => throw new ArgumentOutOfRangeException(nameof(backend)),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            app._settings[key] = value;
        }

        app._services = services;

        if (kestrel)
        {
            app.UseKestrel(0);
        }

        app.StartServer();
        if (kestrel)
        {
            var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            app.Address = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        }

        return app;
    }

    /// <summary>
    /// A new app on this one's store and data folder (stop this one first with <see cref="KeepData"/> set): what an
    /// operator's restart of FrontDoor looks like.
    /// </summary>
    public FrontDoorApp Restarted(Action<IServiceCollection>? services = null)
    {
        var restarted = new FrontDoorApp(_backend, _sqliteFolder, _postgresConnection, _schema) { _dataFolder = _dataFolder, _services = services };
        foreach (var (key, value) in _settings)
        {
            restarted._settings[key] = value;
        }

        restarted.StartServer();
        return restarted;
    }

    public IEventStore Store => Services.GetRequiredService<IEventStore>();

    public StoreConnection Connection => Services.GetRequiredService<StoreConnection>();

    /// <summary>The app's clock: real time plus whatever a test moved it on by.</summary>
    public TestClock Clock { get; } = new();

    public SubscriptionMonitor Subscriptions => Services.GetRequiredService<SubscriptionMonitor>();

    /// <summary>
    /// Waits until every subscription has handled everything in the log, including what handlers appended on the
    /// way (no sleeps in tests).
    /// </summary>
    public async Task CaughtUpAsync()
    {
        while (true)
        {
            var head = await Store.ReadHeadPositionAsync();
            await Subscriptions.WaitForCheckpointAsync(head, TimeSpan.FromSeconds(30));
            if (await Store.ReadHeadPositionAsync() == head)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The end of every journey test: the log is fully handled, nothing was parked, and every contact has an owner
    /// (the "no wrong front door" figure is zero).
    /// </summary>
    public async Task SettledAsync()
    {
        await CaughtUpAsync();
        Assert.Empty(await Connection.Subscriptions.ListParkedAsync());
        using var client = await ClientAsAsync("manager");
        var figures = await client.GetFromJsonAsync<FiguresResponse>("/api/figures");
        Assert.Equal(0, figures!.ContactsWithoutOwner);
    }

    /// <summary>A client signed in through the demo sign-in as <paramref name="role"/>; a desk makes one of many people in that role.</summary>
    public async Task<HttpClient> ClientAsAsync(string role, string? service = null, int? desk = null)
    {
        var client = CreateClient();
        var token = await TokenAsync(client, role, service, desk);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<string> TokenAsync(HttpClient client, string role, string? service = null, int? desk = null)
    {
        using var response = await client.PostAsJsonAsync("/api/dev/token", new { role, service, desk });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.GetProperty("token").GetString()!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Auth:Mode", "Development");
        builder.UseSetting("Store:DataFolder", _dataFolder);

        builder.UseSetting("Subscriptions:PollInterval", "00:00:00.200");
        builder.UseSetting("Subscriptions:LeaseRetryInterval", "00:00:00.100");
        builder.UseSetting("Subscriptions:FirstRetryDelay", "00:00:00.010");
        builder.UseSetting("Subscriptions:HousekeepingInterval", "00:00:00.100");
        builder.UseSetting("FrontDoor:ClockInterval", "00:00:00.100");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            _services?.Invoke(services);
        });
        if (_backend == "sqlite")
        {
            builder.UseSetting("Store:Provider", "sqlite");
            builder.UseSetting("Store:ConnectionString", Path.Combine(_sqliteFolder!, "frontdoor.db"));
            builder.UseSetting("Store:SqliteSynchronous", "NORMAL");
        }
        else
        {
            builder.UseSetting("Store:Provider", "postgres");
            builder.UseSetting("Store:ConnectionString", _postgresConnection);
            builder.UseSetting("Store:Schema", _schema);
        }

        // A test's own settings come last, so they can override any of the above (the store's pool, say).
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Arguments that point the <c>frontdoor</c> command at this app's store.</summary>
    public string[] StoreArguments => _backend == "sqlite"
        ? ["--store", "sqlite", "--connection-string", Path.Combine(_sqliteFolder!, "frontdoor.db")]
        : ["--store", "postgres", "--connection-string", _postgresConnection!, "--schema", _schema!];

    /// <summary>The SQLite database file, for tests that look at what the file itself holds; null on PostgreSQL.</summary>
    public string? SqliteFile => _sqliteFolder is null ? null : Path.Combine(_sqliteFolder, "frontdoor.db");

    /// <summary>Stops the app but keeps its data, so another process (the CLI) can open the store.</summary>
    public bool KeepData { get; set; }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await StoreReleasedAsync();
        if (!KeepData)
        {
            await DeleteDataAsync();
        }
    }

    /// <summary>
    /// The app's entry point finishes disposing the host after the factory's dispose returns; another process may open
    /// a SQLite store only once its owner has let go of the file.
    /// </summary>
    private async Task StoreReleasedAsync()
    {
        if (_sqliteFolder is null)
        {
            return;
        }

        var owner = Path.Combine(_sqliteFolder, "frontdoor.db.owner");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (File.Exists(owner) && DateTime.UtcNow < deadline)
        {
            try
            {
                await using var probe = new FileStream(owner, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException)
            {
                await Task.Delay(20);
            }
        }
    }

    public async Task DeleteDataAsync()
    {
        if (Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }

        if (_sqliteFolder is not null && Directory.Exists(_sqliteFolder))
        {
            Directory.Delete(_sqliteFolder, recursive: true);
        }

        if (_schema is not null)
        {
            await using var connection = new NpgsqlConnection(_postgresConnection);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
