using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using FrontDoor.Testing;

namespace FrontDoor.Benchmarks;

public sealed record PublicFormRun(int Rounds, double KnownP50, double KnownP95, double UnknownP50, double UnknownP95, int Failures);

/// <summary>
/// Whether the public form's answer tells an outsider that the council knows a person: the same server answers, in
/// alternating order, submissions naming residents it holds and submissions naming nobody it holds. The baseline is
/// the unknown person; a ratio near 1 says the timing gives nothing away.
/// </summary>
public static class PublicFormProbe
{
    private const string Schema = "bench_public_form";

    public static async Task<PublicFormRun> RunAsync(string serverDll, string connectionString, int rounds, TextWriter log)
    {
        await ServerSettings.DropSchemaAsync(connectionString, Schema);
        var settings = new ServerSettings(serverDll, connectionString, Schema, Path.Combine(Path.GetTempPath(), "frontdoor-bench"))
        {
            // The per-address limit would stop the probe after five submissions.
            Environment = new Dictionary<string, string> { ["RateLimits__PublicFormPermits"] = "1000000" },
        };
        await using var server = await ServerProcess.StartAsync(settings, line => log.WriteLine($"  server: {line}"));
        using var agent = await server.SignInAsync("agent");
        using var anonymous = new HttpClient { BaseAddress = server.Address };

        var known = Enumerable.Range(0, rounds).Select(i => Person("Known", i)).ToList();
        foreach (var person in known)
        {
            using var recorded = await agent.PostAsJsonAsync("/api/contacts", new { channel = "phone", summary = "Called about rent.", needs = new[] { "housing-advice" }, consentToShare = false, resident = person });
            recorded.EnsureSuccessStatusCode();
        }

        var knownTimes = new Latencies();
        var unknownTimes = new Latencies();
        var failures = 0;
        for (var i = 0; i < rounds; i++)
        {
            // Alternate which goes first, so neither always follows the other's work.
            var pair = i % 2 == 0
                ? new[] { (known[i], knownTimes), (Person("Unknown", i), unknownTimes) }
                : new[] { (Person("Unknown", i), unknownTimes), (known[i], knownTimes) };
            foreach (var (person, times) in pair)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await anonymous.PostAsJsonAsync("/api/public/contacts", new { summary = "Please ring me back about my rent.", consentToShare = true, resident = person });
                if (response.IsSuccessStatusCode)
                {
                    times.AddSince(started);
                }
                else
                {
                    failures++;
                }
            }
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  public form: known p50 {knownTimes.Percentile(50):F1} ms, unknown p50 {unknownTimes.Percentile(50):F1} ms, {failures} failures"));
        return new PublicFormRun(rounds, knownTimes.Percentile(50), knownTimes.Percentile(95), unknownTimes.Percentile(50), unknownTimes.Percentile(95), failures);
    }

    private static object Person(string kind, int i) => new
    {
        name = string.Create(CultureInfo.InvariantCulture, $"{kind} Person {(char)('a' + (i % 26))}{(char)('a' + (i / 26 % 26))}"),
        dateOfBirth = new DateOnly(1950, 1, 1).AddDays(i * 37).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        postcode = "CH1 " + (1 + (i % 9)).ToString(CultureInfo.InvariantCulture) + "AA",
        phone = "07700 9" + i.ToString("D5", CultureInfo.InvariantCulture),
    };
}
