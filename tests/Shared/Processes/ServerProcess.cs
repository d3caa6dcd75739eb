using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using Npgsql;

namespace FrontDoor.Testing;

/// <summary>How to run one FrontDoor node as its own process, on a PostgreSQL server or on its own embedded one.</summary>
/// <param name="ServerDll">Path to FrontDoor.Server.dll.</param>
/// <param name="DataFolder">Holds the signing key: nodes that share it accept each other's tokens, and a restarted node its own.</param>
public sealed record ServerSettings(string ServerDll, string ConnectionString, string Schema, string DataFolder)
{
    /// <summary><c>postgres</c> (the server in <see cref="ConnectionString"/>), or <c>embedded</c>: no connection string, so the node runs its own PostgreSQL in <see cref="DataFolder"/>.</summary>
    public string Provider { get; init; } = "postgres";

    public bool IsEmbedded => Provider == "embedded";

    /// <summary>Development: every other environment refuses the demo sign-in these clients use.</summary>
    public string EnvironmentName { get; init; } = "Development";

    /// <summary>Extra configuration, as environment variables (<c>Section__Key</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The build of FrontDoor.Server beside these tests (same configuration).</summary>
    public static string BuiltServerDll()
    {
        var configuration = typeof(ServerSettings).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Release";
        var dll = Path.Combine(TestPostgres.RepositoryRoot(), "src", "FrontDoor.Server", "bin", configuration, "net10.0", "FrontDoor.Server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build FrontDoor.Server ({configuration}) first.", dll);
    }

    public static async Task DropSchemaAsync(string connectionString, string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// FrontDoor as a real server process on a free port of 127.0.0.1: started, killed with SIGKILL and started again on
/// the same port, so clients keep their address across a crash.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLogLines = 40;

    /// <summary>Readiness with the node's backlog figures: operators only, so the report is read signed in.</summary>
    private const string ReadinessDetails = "/health/ready/details";

    private readonly ServerSettings _settings;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly Action<string>? _echo;
    private Process? _process;
    private string? _operatorToken;

    private ServerProcess(ServerSettings settings, int port, Action<string>? echo)
    {
        _settings = settings;
        _echo = echo;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("Not running.");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines the server wrote, for a failing test's message.</summary>
    public string RecentLog => string.Join('\n', _log);

    /// <summary>Starts a node and waits until it reports ready; <paramref name="echo"/> sees each line it writes to stderr.</summary>
    public static async Task<ServerProcess> StartAsync(ServerSettings settings, Action<string>? echo = null, TimeSpan? readyWithin = null)
    {
        var server = new ServerProcess(settings, FreePort(), echo);
        try
        {
            await server.StartAgainAsync(readyWithin);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the process (again, after a kill) on the same port and data, and waits until it is ready.</summary>
    public async Task StartAgainAsync(TimeSpan? readyWithin = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("Already running.");
        }

        _process?.Dispose();
        var dll = Path.GetFullPath(_settings.ServerDll);
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = _settings.EnvironmentName;
        start.Environment["ASPNETCORE_URLS"] = Address.ToString().TrimEnd('/');
        start.Environment["Auth__Mode"] = "Development";
        if (!_settings.IsEmbedded)
        {
            start.Environment["Store__ConnectionString"] = _settings.ConnectionString;
            start.Environment["PersonalData__KeyRingFile"] = TestPostgres.KeyRingFileFor(_settings.Schema);
        }

        start.Environment["Store__Schema"] = _settings.Schema;

        start.Environment["Store__DataFolder"] = Path.GetFullPath(_settings.DataFolder);

        // The load comes from many simulated people on one address: the per-user limit is for people.
        start.Environment["RateLimits__PerUserPerMinute"] = "1000000";
        start.Environment["Live__MaxConnectionsPerUser"] = "1000000";
        start.Environment["Live__InvocationsPerUserPerMinute"] = "1000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // The fault scenarios and benchmarks measure the store, routing and live pushes; loading the triage model
        // in each process they start (seconds of CPU, ~80 MB) would only disturb that. Whoever measures triage
        // turns it back on.
        start.Environment["Triage__Model"] = "none";
        foreach (var (key, value) in _settings.Environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        // The server's own log lines (JSON on stdout outside Development) are kept for failure messages; errors are
        // shown as they come, and every line with FRONTDOOR_ECHO_SERVER_STDOUT=1 when a run needs watching.
        var echoAll = System.Environment.GetEnvironmentVariable("FRONTDOOR_ECHO_SERVER_STDOUT") == "1";
        process.OutputDataReceived += (_, e) =>
        {
            Keep(e.Data);
            if (e.Data is not null && (echoAll || e.Data.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || e.Data.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)))
            {
                _echo?.Invoke(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            Keep(e.Data);
            if (e.Data is not null)
            {
                _echo?.Invoke(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(readyWithin ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, connections cut mid-request — a power cut for one process.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, as an operator's stop or a service manager would send: the host shuts down in order.</summary>
    public async Task StopAsync(TimeSpan? within = null)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
    }

    public async Task WaitUntilReadyAsync(TimeSpan within)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline || _process is not { HasExited: false })
            {
                throw new InvalidOperationException($"FrontDoor did not become ready within {within.TotalSeconds:F0} s. Its last words:\n{RecentLog}");
            }

            await Task.Delay(100);
        }
    }

    public async Task<HttpClient> SignInAsync(string role, string? service = null, int? desk = null)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(role, service, desk));
        return client;
    }

    public async Task<string> TokenAsync(string role, string? service = null, int? desk = null)
    {
        using var client = new HttpClient { BaseAddress = Address };
        return await TokenAsync(client, role, service, desk);
    }

    private static async Task<string> TokenAsync(HttpClient client, string role, string? service = null, int? desk = null)
    {
        using var response = await client.PostAsJsonAsync("/api/dev/token", new { role, service, desk });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task<HubClient> ConnectHubAsync(string token, Action<string, JsonElement>? onPush = null)
    {
        return await HubClient.ConnectAsync(new Uri(Address, "/hubs/triage"), token, onPush: onPush);
    }

    /// <summary>
    /// The node's full readiness report (the operators' view, read as an admin); <c>null</c> when it does not
    /// answer at all.
    /// </summary>
    public async Task<(int Status, JsonElement Body)?> ReadinessAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            // The demo sign-in's key lives in the data folder, so one token serves the node across restarts.
            _operatorToken ??= await TokenAsync(http, "admin");
            using var request = new HttpRequestMessage(HttpMethod.Get, ReadinessDetails);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _operatorToken);
            using var response = await http.SendAsync(request);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                _operatorToken = null;
                return null;
            }

            return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The highest log position and the largest backlog behind it, from the readiness report (<paramref name="http"/> signed in as an operator).</summary>
    public static async Task<(long Head, long Lag)> HealthAsync(HttpClient http)
    {
        var (head, lags) = await LagsAsync(http);
        return (head, lags.Values.Max());
    }

    /// <summary>
    /// The log's head and what is behind it, from the readiness report: the reactions waiting to be handled (messages
    /// recorded with their appends), and how many events the node's live pushes trail the head.
    /// </summary>
    public static async Task<(long Head, IReadOnlyDictionary<string, long> Lags)> LagsAsync(HttpClient http) =>
        await TryLagsAsync(http) ?? throw new InvalidOperationException("The node's readiness report gave no backlog figures.");

    /// <summary>As <see cref="LagsAsync"/>, or null while the node cannot say (an overloaded node's store check timing out).</summary>
    public static async Task<(long Head, IReadOnlyDictionary<string, long> Lags)?> TryLagsAsync(HttpClient http)
    {
        using var response = await http.GetAsync(ReadinessDetails);
        if (response.StatusCode is not (System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.ServiceUnavailable))
        {
            response.EnsureSuccessStatusCode();
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (body.GetProperty("messages").ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var lags = body.GetProperty("subscriptions").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("lag").GetInt64(), StringComparer.Ordinal);
        lags["reactions waiting"] = body.GetProperty("messages").GetProperty("waiting").GetInt64();
        return (body.GetProperty("subscriptions").EnumerateArray().Max(s => s.GetProperty("head").GetInt64()), lags);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > KeptLogLines)
        {
            _log.TryDequeue(out _);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
