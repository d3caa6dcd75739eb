using System.Net.Http.Json;
using Alba;
using FrontDoor.Contracts;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FrontDoor.Testing;

/// <summary>
/// FrontDoor in-process on a real store, a fresh PostgreSQL schema per instance: an Alba host over the test server
/// (HTTP scenarios, in-memory sockets), or, for the browser, the same application on Kestrel.
/// </summary>
public sealed class FrontDoorApp : IAsyncDisposable
{
    private readonly string _postgresConnection;
    private readonly string _schema;
    private string _dataFolder = Path.Combine(Path.GetTempPath(), "frontdoor-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);
    private Action<IServiceCollection>? _services;
    private IAlbaHost? _alba;
    private OnKestrel? _kestrel;

    private FrontDoorApp(string postgresConnection, string schema)
    {
        _postgresConnection = postgresConnection;
        _schema = schema;
    }

    /// <summary>The stores the suite runs on: PostgreSQL (the embedded default is PostgreSQL too).</summary>
    public static TheoryData<string> Backends => new("postgres");

    /// <summary>The address of the real Kestrel server, when started with <c>kestrel: true</c>.</summary>
    public Uri? Address { get; private set; }

    /// <summary>The Alba host, for HTTP scenarios; an app on Kestrel has none.</summary>
    public IAlbaHost Alba => _alba ?? throw new InvalidOperationException("An app started on Kestrel is driven through its address.");

    public IServiceProvider Services => _alba?.Services ?? _kestrel!.Services;

    /// <summary>The in-memory test server (its clients and WebSockets); an app on Kestrel has none.</summary>
    public TestServer Server => Alba.Server;

    /// <summary>A client as a browser would be one: it follows redirects and keeps cookies unless told not to.</summary>
    public HttpClient CreateClient(WebApplicationFactoryClientOptions? options = null)
    {
        if (_kestrel is not null)
        {
            // The factory's own options know the server's address.
            return options is null ? _kestrel.CreateClient() : _kestrel.CreateClient(options);
        }

        options ??= new WebApplicationFactoryClientOptions();

        HttpMessageHandler handler = Server.CreateHandler();
        if (options.HandleCookies)
        {
            handler = new CookieContainerHandler { InnerHandler = handler };
        }

        if (options.AllowAutoRedirect)
        {
            handler = new RedirectHandler(options.MaxAutomaticRedirections) { InnerHandler = handler };
        }

        return new HttpClient(handler) { BaseAddress = options.BaseAddress };
    }

    public static async Task<FrontDoorApp> StartAsync(string backend, IReadOnlyDictionary<string, string?>? settings = null, bool kestrel = false, Action<IServiceCollection>? services = null)
    {
        var app = backend switch
        {
            "postgres" => new FrontDoorApp(await TestPostgres.ConnectionStringAsync(), TestPostgres.NewSchema()),
            _ => throw new ArgumentOutOfRangeException(nameof(backend)),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            app._settings[key] = value;
        }

        app._services = services;
        await app.StartHostAsync(kestrel);
        return app;
    }

    /// <summary>
    /// A new app on this one's store and data folder (stop this one first with <see cref="KeepData"/> set): what an
    /// operator's restart of FrontDoor looks like.
    /// </summary>
    public async Task<FrontDoorApp> RestartedAsync(Action<IServiceCollection>? services = null)
    {
        var restarted = new FrontDoorApp(_postgresConnection, _schema) { _dataFolder = _dataFolder, _services = services };
        foreach (var (key, value) in _settings)
        {
            restarted._settings[key] = value;
        }

        await restarted.StartHostAsync(kestrel: _kestrel is not null);
        return restarted;
    }

    private async Task StartHostAsync(bool kestrel)
    {
        if (!kestrel)
        {
            _alba = await AlbaHost.For<Program>(Configure);
            return;
        }

        _kestrel = new OnKestrel(Configure);
        _kestrel.UseKestrel(0);
        _kestrel.StartServer();
        var addresses = _kestrel.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        Address = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    public IEventLog Store => Services.GetRequiredService<IEventLog>();

    public StoreConnection Connection => Services.GetRequiredService<StoreConnection>();

    /// <summary>The app's clock: real time plus whatever a test moved it on by.</summary>
    public TestClock Clock { get; } = new();

    /// <summary>Messages scheduled and not yet handled, oldest due first: Wolverine's name for each type and when it is due.</summary>
    public async Task<IReadOnlyList<(string MessageType, DateTimeOffset DueAt)>> ScheduledMessagesAsync()
    {
        await using var connection = new NpgsqlConnection(_postgresConnection);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand($"SELECT message_type, execution_time FROM {_schema}.wolverine_incoming_envelopes WHERE status = 'Scheduled' ORDER BY execution_time", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var scheduled = new List<(string, DateTimeOffset)>();
        while (await reader.ReadAsync())
        {
            scheduled.Add((reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return scheduled;
    }

    /// <summary>Handles a message now, as Wolverine does when a scheduled one comes due (for a test that moved the clock on).</summary>
    public Task HandleNowAsync(object message) =>
        new Wolverine.Runtime.MessageBus(Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>()).InvokeAsync(message);

    /// <summary>
    /// Waits until every reaction to the log has been handled, including reactions to what handlers appended on the
    /// way (no sleeps in tests). A reaction is stored in its cause's transaction and stays <c>Incoming</c> until its
    /// handler's own transaction, holding any further reactions, has committed: none left, and a head that stood still
    /// meanwhile, means nothing is on its way. Scheduled messages wait for their time and are not waited for.
    /// </summary>
    public async Task CaughtUpAsync()
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var head = await Store.ReadHeadPositionAsync();
            var (waiting, deadLetters) = await MessagesAsync();
            if (waiting == 0 && await Store.ReadHeadPositionAsync() == head)
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Reactions still waiting after 30 s: {waiting} (dead letters: {deadLetters}).");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// The end of every journey test: every reaction is handled, none failed into a dead letter, and every contact has
    /// an owner (the "no wrong front door" figure is zero).
    /// </summary>
    public async Task SettledAsync()
    {
        await CaughtUpAsync();
        Assert.Equal(0, (await MessagesAsync()).DeadLetters);
        using var client = await ClientAsAsync("manager");
        var figures = await client.GetFromJsonAsync<FiguresResponse>("/api/figures");
        Assert.Equal(0, figures!.ContactsWithoutOwner);
    }

    /// <summary>Reactions stored and not yet handled (scheduled ones excluded), and dead letters: the server's own count.</summary>
    public async Task<(long Waiting, long DeadLetters)> MessagesAsync()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_postgresConnection) { SearchPath = _schema }.ConnectionString);
        await connection.OpenAsync();
        var counts = await FrontDoor.Server.Infrastructure.Messaging.DeadLetters.CountAsync(connection, CancellationToken.None);
        return (counts.Waiting, counts.DeadLetters);
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

    private void Configure(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Auth:Mode", "Development");
        builder.UseSetting("Store:DataFolder", _dataFolder);

        builder.UseSetting("Messaging:Solo", "true");
        builder.UseSetting("Messaging:ScheduledPolling", "00:00:00.100");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            _services?.Invoke(services);
        });
        builder.UseSetting("Store:ConnectionString", _postgresConnection);
        builder.UseSetting("Store:Schema", _schema);
        builder.UseSetting("PersonalData:KeyRingFile", KeyRingFile);

        // A test's own settings come last, so they can override any of the above (the store's pool, say).
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Arguments that point the <c>frontdoor</c> command at this app's store.</summary>
    public string[] StoreArguments => ["--connection-string", _postgresConnection, "--schema", _schema, "--key-ring-file", KeyRingFile];

    /// <summary>The personal-data key ring this app's store is opened with.</summary>
    public string KeyRingFile => TestPostgres.KeyRingFileFor(_schema);

    /// <summary>Stops the app but keeps its data, so another process (the CLI) can open the store.</summary>
    public bool KeepData { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (_alba is not null)
        {
            await _alba.DisposeAsync();
        }

        if (_kestrel is not null)
        {
            await _kestrel.DisposeAsync();
        }

        if (!KeepData)
        {
            await DeleteDataAsync();
        }
    }

    public async Task DeleteDataAsync()
    {
        if (Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }

        await using var connection = new NpgsqlConnection(_postgresConnection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>The same application on a real socket, for a browser to reach.</summary>
    private sealed class OnKestrel(Action<IWebHostBuilder> configure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => configure(builder);
    }
}
