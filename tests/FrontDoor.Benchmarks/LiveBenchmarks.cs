using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using FrontDoor.Cli;
using FrontDoor.Contracts;
using FrontDoor.Testing;
using Npgsql;

namespace FrontDoor.Benchmarks;

/// <summary>FrontDoor as a real server process on PostgreSQL, on a free port of 127.0.0.1.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string Schema = "bench_live";

    private readonly Process _process;
    private readonly string _dataFolder;

    private ServerProcess(Process process, Uri address, string dataFolder)
    {
        _process = process;
        Address = address;
        _dataFolder = dataFolder;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    public static async Task<ServerProcess> StartAsync(string serverDll, string connectionString)
    {
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }

        var port = FreePort();
        var dataFolder = Path.Combine(Path.GetTempPath(), "frontdoor-bench", Guid.NewGuid().ToString("N"));
        serverDll = Path.GetFullPath(serverDll);
        var start = new ProcessStartInfo("dotnet", [serverDll])
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Benchmark";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Auth__Mode"] = "Development";
        start.Environment["Store__Provider"] = "postgres";
        start.Environment["Store__ConnectionString"] = connectionString;
        start.Environment["Store__Schema"] = Schema;
        start.Environment["Store__DataFolder"] = dataFolder;

        // The load comes from a few hundred simulated people on one address: the per-user limit is for people.
        start.Environment["RateLimits__PerUserPerMinute"] = "1000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"  server: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"), dataFolder);
        using var http = new HttpClient { BaseAddress = server.Address };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException("FrontDoor did not become ready within 60 s.");
            }

            await Task.Delay(200);
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
        using var response = await client.PostAsJsonAsync("/api/dev/token", new { role, service, desk });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task<HubClient> ConnectHubAsync(string token, Action<string, JsonElement>? onPush = null)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{Address.Authority}/hubs/triage?access_token={Uri.EscapeDataString(token)}"), CancellationToken.None);
        return await HubClient.ConnectAsync(socket, onPush);
    }

    /// <summary>The highest log position and the largest subscription lag, from the readiness report.</summary>
    public static async Task<(long Head, long Lag)> HealthAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health/ready");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var subscriptions = body.GetProperty("subscriptions").EnumerateArray().ToList();
        return (subscriptions.Max(s => s.GetProperty("head").GetInt64()), subscriptions.Max(s => s.GetProperty("lag").GetInt64()));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record EndToEndRun(double TargetRate, double AchievedRate, int Acknowledged, int Failures, int Probes, double P50, double P95, double P99, long MaxLagEvents, double DrainSeconds);

public sealed record FanOutRun(int Clients, int Changes, double P50, double P99, double Max, int Missed, double RssMegabytes, double CpuPercentOfOneCore);

public static class LiveBenchmarks
{
    /// <summary>
    /// The simulator at a fixed rate, and beside it a probe: an agent recording a housing contact every 250 ms and a
    /// housing worker's hub connection timing each from just before the POST to the <c>queueChanged</c> that raises
    /// its referral.
    /// </summary>
    public static async Task<EndToEndRun> EndToEndAsync(ServerProcess server, double rate, TimeSpan duration, TextWriter log)
    {
        var pending = new ConcurrentDictionary<Guid, long>();
        var early = new ConcurrentDictionary<Guid, long>();
        var latencies = new Latencies();
        await using var watcher = await server.ConnectHubAsync(await server.TokenAsync("worker", "housing", desk: 999), (target, argument) =>
        {
            if (target == "queueChanged" && argument.GetProperty("change").GetString() == "raised")
            {
                var arrived = Stopwatch.GetTimestamp();
                var contactId = argument.GetProperty("contactId").GetGuid();
                if (pending.TryRemove(contactId, out var sent))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds);
                }
                else
                {
                    early[contactId] = arrived;
                }
            }
        });
        await watcher.InvokeAsync("WatchQueue", "housing", null);
        using var agent = await server.SignInAsync("agent", desk: 999);
        using var health = new HttpClient { BaseAddress = server.Address };

        var simulator = new Simulator(() => new HttpClient { BaseAddress = server.Address }, seed: (int)rate, TextWriter.Null);
        var started = Stopwatch.GetTimestamp();
        var load = simulator.RunAsync(rate, duration, CancellationToken.None);
        long maxLag = 0;
        var probes = 0;
        var until = DateTime.UtcNow + duration;
        var nextSample = DateTime.UtcNow;
        while (DateTime.UtcNow < until)
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await agent.PostAsJsonAsync("/api/contacts", new RecordContactRequest("phone", null, null, "Repairs have not been done for months.", ["housing-advice"], true));
            if (response.IsSuccessStatusCode)
            {
                probes++;
                var contactId = (await response.Content.ReadFromJsonAsync<ContactCreatedResponse>())!.ContactId;
                if (early.TryRemove(contactId, out var arrived))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds);
                }
                else
                {
                    pending[contactId] = sent;
                }
            }

            if (DateTime.UtcNow >= nextSample)
            {
                maxLag = Math.Max(maxLag, (await ServerProcess.HealthAsync(health)).Lag);
                nextSample = DateTime.UtcNow.AddMilliseconds(500);
            }

            await Task.Delay(250);
        }

        var report = await load;
        var loadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // How long the backlog takes to clear once the load stops (bounded at 120 s).
        var drainStarted = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(drainStarted) < TimeSpan.FromSeconds(120))
        {
            var (_, lag) = await ServerProcess.HealthAsync(health);
            maxLag = Math.Max(maxLag, lag);
            if (lag == 0 && pending.IsEmpty)
            {
                break;
            }

            await Task.Delay(100);
        }

        var run = new EndToEndRun(rate, report.ContactsAcknowledged / loadSeconds, report.ContactsAcknowledged, report.Failures, probes, latencies.Percentile(50), latencies.Percentile(95), latencies.Percentile(99), maxLag, Stopwatch.GetElapsedTime(drainStarted).TotalSeconds);
        await log.WriteLineAsync($"  {rate,6} contacts/s asked, {Stats.F(run.AchievedRate)} acknowledged/s, probes {probes}: p50 {Stats.F(run.P50, 1)} ms, p95 {Stats.F(run.P95, 1)} ms, p99 {Stats.F(run.P99, 1)} ms; max lag {maxLag} events; drained in {run.DrainSeconds:F1} s; {report.Failures} failures");
        return run;
    }

    /// <summary>
    /// Many managers' walls connected at once; each change is timed from just before the POST that causes it until
    /// every wall has a <c>wallChanged</c> beyond the log's head before the POST.
    /// </summary>
    public static async Task<FanOutRun> FanOutAsync(ServerProcess server, int clients, int changes, TextWriter log)
    {
        var token = await server.TokenAsync("manager");
        var arrivals = new ConcurrentDictionary<int, (long Position, long At)>();
        var hubs = new HubClient[clients];
        using (var connecting = new SemaphoreSlim(100))
        {
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
            {
                await connecting.WaitAsync();
                try
                {
                    hubs[i] = await server.ConnectHubAsync(token, (target, argument) =>
                    {
                        if (target == "wallChanged")
                        {
                            arrivals[i] = (argument.GetProperty("position").GetInt64(), Stopwatch.GetTimestamp());
                        }
                    });
                    await hubs[i].InvokeAsync("WatchWall", (object?)null);
                }
                finally
                {
                    connecting.Release();
                }
            }));
        }

        await log.WriteLineAsync($"  {clients} walls connected; server RSS {Machine.ResidentMegabytes(server.ProcessId):F0} MB");
        using var agent = await server.SignInAsync("agent", desk: 998);
        using var health = new HttpClient { BaseAddress = server.Address };
        var delays = new Latencies();
        var missed = 0;
        double rss = 0;
        var cpuBefore = Machine.CpuTime(server.ProcessId);
        var wallStarted = Stopwatch.GetTimestamp();
        try
        {
            for (var change = 0; change < changes; change++)
            {
                var (headBefore, _) = await ServerProcess.HealthAsync(health);
                var sent = Stopwatch.GetTimestamp();
                using var response = await agent.PostAsJsonAsync("/api/contacts", new RecordContactRequest("web", null, null, "Cold house, can't afford heating.", ["food-and-fuel"], true));
                response.EnsureSuccessStatusCode();
                var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
                while (Enumerable.Range(0, clients).Any(i => !(arrivals.TryGetValue(i, out var a) && a.Position > headBefore)) && Stopwatch.GetTimestamp() < deadline)
                {
                    await Task.Delay(5);
                }

                foreach (var i in Enumerable.Range(0, clients))
                {
                    if (arrivals.TryGetValue(i, out var a) && a.Position > headBefore)
                    {
                        delays.Add(Stopwatch.GetElapsedTime(sent, a.At).TotalMilliseconds);
                    }
                    else
                    {
                        missed++;
                    }
                }

                rss = Math.Max(rss, Machine.ResidentMegabytes(server.ProcessId));
                await Task.Delay(500);
            }
        }
        finally
        {
            await Task.WhenAll(hubs.Where(h => h is not null).Select(h => h.DisposeAsync().AsTask()));
        }

        var cpu = (Machine.CpuTime(server.ProcessId) - cpuBefore).TotalSeconds / Stopwatch.GetElapsedTime(wallStarted).TotalSeconds * 100;
        var run = new FanOutRun(clients, changes, delays.Percentile(50), delays.Percentile(99), delays.Percentile(100), missed, rss, cpu);
        await log.WriteLineAsync($"  {clients} walls × {changes} changes: p50 {Stats.F(run.P50, 1)} ms, p99 {Stats.F(run.P99, 1)} ms, max {Stats.F(run.Max, 1)} ms, missed {missed}; RSS {rss:F0} MB; CPU {cpu:F0}% of one core");
        return run;
    }
}
