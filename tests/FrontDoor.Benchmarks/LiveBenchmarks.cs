using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Server.Operations;
using FrontDoor.Testing;

namespace FrontDoor.Benchmarks;

public sealed record EndToEndRun(double TargetRate, double AchievedRate, int Acknowledged, int Failures, int Probes, double P50, double P95, double P99, long MaxLagEvents, double DrainSeconds);

public sealed record FanOutRun(int Clients, int Changes, double P50, double P99, double Max, int Missed, double RssMegabytes, double CpuPercentOfOneCore, double CountedP50, double CountedP99);

public static class LiveBenchmarks
{
    private const string Schema = "bench_live";

    /// <summary>A fresh schema for each server, so no run inherits another's backlog.</summary>
    public static async Task<ServerProcess> StartServerAsync(string serverDll, string connectionString)
    {
        await ServerSettings.DropSchemaAsync(connectionString, Schema);
        var dataFolder = Path.Combine(Path.GetTempPath(), "frontdoor-bench");
        return await ServerProcess.StartAsync(
            new ServerSettings(serverDll, connectionString, Schema, dataFolder) { EnvironmentName = "Development" },
            line => Console.Error.WriteLine($"  server: {line}"));
    }

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
        using var health = await server.SignInAsync("admin");

        var simulator = new Simulator(() => new HttpClient { BaseAddress = server.Address }, seed: (int)rate, TextWriter.Null);
        var started = Stopwatch.GetTimestamp();
        var load = simulator.RunAsync(rate, duration, CancellationToken.None);
        long maxLag = 0;
        var worstLags = new Dictionary<string, long>(StringComparer.Ordinal);
        async Task<long> SampleLagAsync()
        {
            // An overloaded node may not say (its store check timed out): unknown, so not drained either.
            if (await ServerProcess.TryLagsAsync(health) is not { } sample)
            {
                return -1;
            }

            var lags = sample.Lags;
            foreach (var (behind, lag) in lags)
            {
                worstLags[behind] = Math.Max(worstLags.GetValueOrDefault(behind), lag);
            }

            var worst = lags.Values.Max();
            maxLag = Math.Max(maxLag, worst);
            return worst;
        }

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
                await SampleLagAsync();
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
            if (await SampleLagAsync() == 0 && pending.IsEmpty)
            {
                break;
            }

            await Task.Delay(100);
        }

        var run = new EndToEndRun(rate, report.ContactsAcknowledged / loadSeconds, report.ContactsAcknowledged, report.Failures, probes, latencies.Percentile(50), latencies.Percentile(95), latencies.Percentile(99), maxLag, Stopwatch.GetElapsedTime(drainStarted).TotalSeconds);
        await log.WriteLineAsync($"  {rate,6} contacts/s asked, {Stats.F(run.AchievedRate)} acknowledged/s, probes {probes}: p50 {Stats.F(run.P50, 1)} ms, p95 {Stats.F(run.P95, 1)} ms, p99 {Stats.F(run.P99, 1)} ms; max lag {maxLag} events; drained in {run.DrainSeconds:F1} s; {report.Failures} failures");
        await log.WriteLineAsync($"    worst backlog: {string.Join(", ", worstLags.OrderByDescending(l => l.Value).Select(l => $"{l.Key} {l.Value}"))}");
        return run;
    }

    /// <summary>
    /// Many managers' walls connected at once; each change is timed from just before the POST that causes it until
    /// every wall has a <c>wallChanged</c> beyond the log's head before the POST (the first such push, not a later
    /// one for the same change), and separately until every wall's count of today's contacts includes it (the day's
    /// counts come from Marten's daemon, a page behind).
    /// </summary>
    public static async Task<FanOutRun> FanOutAsync(ServerProcess server, int clients, int changes, TextWriter log)
    {
        var token = await server.TokenAsync("manager");
        // Per change: when each wall first heard of it, and when its count of today's contacts first included it.
        var firstPush = new ConcurrentDictionary<int, long>();
        var firstCounted = new ConcurrentDictionary<int, long>();
        var changeAfter = long.MaxValue;
        var todayBefore = int.MaxValue;
        var hubs = new HubClient[clients];
        var joinFailures = 0;
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
                            var at = Stopwatch.GetTimestamp();
                            if (argument.GetProperty("position").GetInt64() > Interlocked.Read(ref changeAfter))
                            {
                                firstPush.TryAdd(i, at);
                            }

                            if (argument.GetProperty("figures").GetProperty("contactsToday").GetInt32() > Volatile.Read(ref todayBefore))
                            {
                                firstCounted.TryAdd(i, at);
                            }
                        }
                    });
                    // A wall whose join fails tries again; the failures are counted and printed, not hidden.
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            await hubs[i].InvokeAsync("WatchWall", (object?)null);
                            break;
                        }
                        catch (HubInvocationException ex) when (attempt < 3)
                        {
                            Interlocked.Increment(ref joinFailures);
                            await log.WriteLineAsync($"  joining the wall failed ({ex.Message}); trying again");
                            await Task.Delay(1000);
                        }
                    }
                }
                finally
                {
                    connecting.Release();
                }
            }));
        }

        await log.WriteLineAsync($"  {clients} walls connected ({joinFailures} joins failed and were retried); server RSS {Machine.ResidentMegabytes(server.ProcessId):F0} MB");
        using var agent = await server.SignInAsync("agent", desk: 998);
        using var health = await server.SignInAsync("admin");
        using var manager = await server.SignInAsync("manager");
        var delays = new Latencies();
        var countedDelays = new Latencies();
        var missed = 0;
        double rss = 0;
        var cpuBefore = Machine.CpuTime(server.ProcessId);
        var wallStarted = Stopwatch.GetTimestamp();
        try
        {
            for (var change = 0; change < changes; change++)
            {
                // Pushes still arriving for the change before are not this one's.
                Interlocked.Exchange(ref changeAfter, long.MaxValue);
                Volatile.Write(ref todayBefore, int.MaxValue);
                firstPush.Clear();
                firstCounted.Clear();
                var (headBefore, _) = await ServerProcess.HealthAsync(health);
                Volatile.Write(ref todayBefore, (await manager.GetFromJsonAsync<FiguresResponse>("/api/figures"))!.ContactsToday);
                Interlocked.Exchange(ref changeAfter, headBefore);
                var sent = Stopwatch.GetTimestamp();
                using var response = await agent.PostAsJsonAsync("/api/contacts", new RecordContactRequest("web", null, null, "Cold house, can't afford heating.", ["food-and-fuel"], true));
                response.EnsureSuccessStatusCode();
                var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
                while ((firstPush.Count < clients || firstCounted.Count < clients) && Stopwatch.GetTimestamp() < deadline)
                {
                    await Task.Delay(5);
                }

                missed += clients - firstPush.Count;
                foreach (var at in firstPush.Values)
                {
                    delays.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
                }

                foreach (var at in firstCounted.Values)
                {
                    countedDelays.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
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
        var run = new FanOutRun(clients, changes, delays.Percentile(50), delays.Percentile(99), delays.Percentile(100), missed, rss, cpu, countedDelays.Percentile(50), countedDelays.Percentile(99));
        await log.WriteLineAsync($"  {clients} walls × {changes} changes: p50 {Stats.F(run.P50, 1)} ms, p99 {Stats.F(run.P99, 1)} ms, max {Stats.F(run.Max, 1)} ms, missed {missed}; today's count on every wall p50 {Stats.F(run.CountedP50, 1)} ms, p99 {Stats.F(run.CountedP99, 1)} ms; RSS {rss:F0} MB; CPU {cpu:F0}% of one core");
        return run;
    }
}
