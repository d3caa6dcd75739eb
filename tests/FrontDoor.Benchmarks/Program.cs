using System.Globalization;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Npgsql;

namespace FrontDoor.Benchmarks;

/// <summary>
/// <c>ops/bench.sh</c> runs this. Every figure is measured beside a raw baseline in the same run; nothing here
/// asserts a speed: <c>--quick</c> is a smoke run that must finish and print its ratios.
/// </summary>
internal static class Program
{
    private const string ResultsStart = "<!-- results: written by ops/bench.sh -->";
    private const string ResultsEnd = "<!-- end of results -->";

    public static async Task<int> Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var postgres = Option(args, "--postgres") ?? throw new ArgumentException("--postgres <connection string> is required (ops/bench.sh starts a durable server).");
        var serverDll = Option(args, "--server") ?? throw new ArgumentException("--server <path to FrontDoor.Server.dll> is required.");
        var fsyncReport = Option(args, "--pg-test-fsync");
        var output = Option(args, "--out");
        var only = Option(args, "--only")?.Split(',') ?? ["append-postgres", "catch-up", "end-to-end", "fan-out", "fold", "public-form", "triage", "deadlines", "resident-search"];
        var report = new Report(Console.Out);

        string version, durability;
        await using (var dataSource = NpgsqlDataSource.Create(postgres))
        {
            await using var show = dataSource.CreateCommand("SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('full_page_writes')");
            await using var reader = await show.ExecuteReaderAsync();
            await reader.ReadAsync();
            version = reader.GetString(0);
            durability = $"fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}, full_page_writes={reader.GetString(3)}";
        }

        report.Line($"Run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC with `bash ops/bench.sh{(quick ? " --quick" : string.Empty)}`{(quick ? " (smoke run: short, single rounds)" : string.Empty)}.");
        report.Line(string.Empty);
        report.Line($"Machine: {Machine.Describe(version)}; PostgreSQL settings: {durability}.");

        if (only.Contains("append-postgres"))
        {
            report.Heading("1. Append, PostgreSQL (durable)");
            if (fsyncReport is not null && File.Exists(fsyncReport) && FsyncRate(await File.ReadAllTextAsync(fsyncReport)) is { } fsync)
            {
                report.Line($"The disk's limit, from `pg_test_fsync` (one 8 kB write + fdatasync): **{Stats.F(fsync)} commits/s**, so one writer committing one event at a time cannot exceed that many events/s.");
                report.Line(string.Empty);
            }

            // The raw tables copy their shape from a migrated FrontDoor schema.
            await (await AppendTargets.FrontDoorPostgresAsync(postgres)).DisposeAsync();
            var runs = await AppendBenchmarks.RunAsync(
                [
                    async () => await RawPostgresAppendTarget.CreateAsync(postgres, AppendTargets.FrontDoorSchema),
                    () => AppendTargets.FrontDoorPostgresAsync(postgres),
                    .. MartenAppendSettings.All.Select(settings => (Func<Task<IAppendTarget>>)(() => MartenAppendTarget.CreateAsync(postgres, settings))),
                ],
                TimeSpan.FromSeconds(quick ? 1 : 10),
                quick ? 1 : 3,
                Console.Out);
            report.Line($"Median of {(quick ? 1 : 3)} rotating rounds of {(quick ? 1 : 10)} s each; latency is per append call.");
            report.Line(string.Empty);
            AppendBenchmarks.Summarise(report, runs);
        }

        if (only.Contains("catch-up"))
        {
            report.Heading("3. Catch-up and rebuild (PostgreSQL)");
            var events = quick ? 20_000 : 1_000_000;
            var run = await CatchUpBenchmark.RunAsync(postgres, events, Console.Out);
            report.Table(
                ["events", "raw sequential read, events/s", "log reader catch-up, events/s", "reader ÷ raw", "reader deserialising each event, events/s", "rebuild of rm_contacts, events/s", "rows"],
                [[Stats.F(run.Events), Stats.F(run.RawEventsPerSecond), Stats.F(run.ReaderEventsPerSecond), Stats.F(run.ReaderEventsPerSecond / run.RawEventsPerSecond, 2), Stats.F(run.DeserialisingEventsPerSecond), Stats.F(run.RebuildEventsPerSecond), Stats.F(run.RebuildRows)]]);
        }

        // Each rate and each fan-out size gets a fresh server and schema, so no run inherits another's backlog.
        if (only.Contains("end-to-end"))
        {
            report.Heading("4. End to end: POST /api/contacts → queueChanged (PostgreSQL, one server process)");
            var runs = new List<EndToEndRun>();
            var rates = Option(args, "--rates")?.Split(',').Select(r => double.Parse(r, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            foreach (var rate in rates ?? (quick ? [10, 50] : [10, 30, 100, 300]))
            {
                await using var server = await LiveBenchmarks.StartServerAsync(serverDll, postgres);
                runs.Add(await LiveBenchmarks.EndToEndAsync(server, rate, TimeSpan.FromSeconds(quick ? 5 : 30), Console.Out));
            }

            report.Table(
                ["asked, contacts/s", "acknowledged, contacts/s", "failures", "probes", "p50 ms", "p95 ms", "p99 ms", "max lag, events", "drained in, s"],
                runs.Select(r => (IReadOnlyList<string>)[Stats.F(r.TargetRate), Stats.F(r.AchievedRate), Stats.F(r.Failures), Stats.F(r.Probes), Stats.F(r.P50, 1), Stats.F(r.P95, 1), Stats.F(r.P99, 1), Stats.F(r.MaxLagEvents), Stats.F(r.DrainSeconds, 1)]));
            var sustained = runs.Where(r => r.P99 < 1000 && r.DrainSeconds < 1.5).Select(r => r.AchievedRate).DefaultIfEmpty(double.NaN).Max();
            report.Line($"Highest rate measured with every probe's referral on the team's screen within 1 s (p99) and the backlog gone within 1.5 s of the load stopping: **{Stats.F(sustained)} contacts/s**.");
        }

        if (only.Contains("fan-out"))
        {
            report.Heading("5. Fan-out: managers' walls over WebSockets");
            var runs = new List<FanOutRun>();
            foreach (var clients in quick ? new[] { 200 } : [1000, 5000])
            {
                await using var server = await LiveBenchmarks.StartServerAsync(serverDll, postgres);
                runs.Add(await LiveBenchmarks.FanOutAsync(server, clients, quick ? 3 : 5, Console.Out));
            }

            report.Table(
                ["walls", "changes", "p50 ms", "p99 ms", "max ms", "missed", "today's count p50 / p99 ms", "server RSS MB", "server CPU, % of one core"],
                runs.Select(r => (IReadOnlyList<string>)[Stats.F(r.Clients), Stats.F(r.Changes), Stats.F(r.P50, 1), Stats.F(r.P99, 1), Stats.F(r.Max, 1), Stats.F(r.Missed), $"{Stats.F(r.CountedP50, 1)} / {Stats.F(r.CountedP99, 1)}", Stats.F(r.RssMegabytes), Stats.F(r.CpuPercentOfOneCore)]));
        }

        if (only.Contains("fold"))
        {
            report.Heading("6. Per-event cost of reading the log (BenchmarkDotNet, in process)");
            var job = (quick ? Job.Dry : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
            var summary = BenchmarkRunner.Run<FoldBenchmarks>(ManualConfig.CreateMinimumViable().AddJob(job).WithOptions(ConfigOptions.DisableLogFile));
            report.Table(
                ["method", "mean", "allocated", "ratio"],
                summary.Reports.Select(r => (IReadOnlyList<string>)
                [
                    r.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo,
                    r.ResultStatistics is null ? "–" : $"{r.ResultStatistics.Mean.ToString("N0", CultureInfo.InvariantCulture)} ns",
                    r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) is { } bytes ? $"{bytes:N0} B" : "–",
                    Ratio(summary, r),
                ]));
        }

        if (only.Contains("public-form"))
        {
            report.Heading("7. The public form: a known person beside an unknown one (PostgreSQL, one server process)");
            var run = await PublicFormProbe.RunAsync(serverDll, postgres, quick ? 20 : 200, Console.Out);
            report.Table(
                ["submissions of each", "known p50 ms", "known p95 ms", "unknown p50 ms (baseline)", "unknown p95 ms", "known ÷ unknown, p50", "failures"],
                [[Stats.F(run.Rounds), Stats.F(run.KnownP50, 1), Stats.F(run.KnownP95, 1), Stats.F(run.UnknownP50, 1), Stats.F(run.UnknownP95, 1), Stats.F(run.KnownP50 / run.UnknownP50, 2), Stats.F(run.Failures)]]);
            report.Line("The form records a web contact on a record of its own whoever it names, and looks for a known resident only after answering; a ratio near 1 says its timing does not tell an outsider whom the council knows.");
        }

        if (only.Contains("triage"))
        {
            report.Heading("8. Triage suggestions: quality, time per suggestion, cost to the server");
            var run = await TriageProbe.RunAsync(serverDll, postgres, quick, Console.Out);
            report.Table(
                ["set", "suggester", "examples", "recall", "precision", "safeguarding recall", "safeguarding precision", "negatives with a suggestion"],
                run.Quality.Select(q => (IReadOnlyList<string>)[q.Set, q.Suggester, Stats.F(q.Report.Examples), Stats.F(q.Report.All.Recall, 3), Stats.F(q.Report.All.Precision, 3), Stats.F(q.Report.Safeguarding.Recall, 3), Stats.F(q.Report.Safeguarding.Precision, 3), $"{q.Report.NegativesWithSuggestions} of {q.Report.Negatives}"]));
            var heldOut = run.Quality[^1].Report;
            report.Table(
                ["held-out, per need", "required", "found", "wrong", "recall", "precision"],
                heldOut.PerNeed.Select(n => (IReadOnlyList<string>)[n.Need, Stats.F(n.Required), Stats.F(n.Found), Stats.F(n.Wrong), Stats.F(n.Recall, 3), Stats.F(n.Precision, 3)]));
            report.Table(
                ["in process, held-out texts", "calls", "p50 ms", "p99 ms"],
                run.Speed.Select(s => (IReadOnlyList<string>)[s.What, Stats.F(s.Calls), Stats.F(s.P50, 2), Stats.F(s.P99, 2)]));
            report.Table(
                ["server process", "ready, s", "model ready (GET /api/triage/model), s", "RSS after the suggestions, MB"],
                [
                    ["Triage:Model=none (baseline)", Stats.F(run.Cost.ReadyWithoutModelSeconds, 2), "–", Stats.F(run.Cost.RssWithoutModelMb)],
                    ["with the model", Stats.F(run.Cost.ReadyWithModelSeconds, 2), Stats.F(run.Cost.ModelLoadedSeconds, 2), Stats.F(run.Cost.RssWithModelMb)],
                ]);
        }

        if (only.Contains("deadlines"))
        {
            report.Heading("9. Deadlines: how late a scheduled message is handled (PostgreSQL, one server process)");
            var run = await DeadlineProbe.RunAsync(serverDll, postgres, quick ? 20 : 200, Console.Out);
            report.Table(
                ["deadlines", "polling, s", "FrontDoor p50 ms late", "p99 ms", "max ms", "raw polled timer p50 ms (baseline)", "p99 ms", "FrontDoor ÷ raw, p50", "scheduled messages waiting per contact"],
                [[Stats.F(run.Deadlines), Stats.F(run.PollingSeconds, 1), Stats.F(run.FrontDoor.Percentile(50)), Stats.F(run.FrontDoor.Percentile(99)), Stats.F(run.FrontDoor.Percentile(100)), Stats.F(run.Raw.Percentile(50)), Stats.F(run.Raw.Percentile(99)), Stats.F(run.FrontDoor.Percentile(50) / run.Raw.Percentile(50), 2), Stats.F(run.ScheduledRowsPerContact, 1)]]);
            report.Line("Lateness is the overdue event's time minus the referral's due time; the baseline is a plain table of the same due times polled at the same interval. A polled timer is on average half an interval late; what FrontDoor adds is Wolverine's hand-off to the handler and the handler's append.");
        }

        if (only.Contains("resident-search"))
        {
            report.Heading("10. Resident look-up without plaintext at rest (PostgreSQL, in process)");
            var run = await ResidentSearchBenchmark.RunAsync(postgres, quick ? 1_000 : 350_000, quick ? 20 : 200, Console.Out);
            report.Line($"{Stats.F(run.Residents)} residents registered through the log in {Stats.F(run.SeedSeconds, 1)} s (sealed, each key wrapped by the key ring; the read model keeps blind index terms only). The raw baseline is the plaintext read model as it was: the same people's names, dates of birth and postcodes in the clear, searched with LIKE and sorted by name.");
            report.Table(
                ["look-up", "searches", "blind index p50 ms", "p99 ms", "plaintext (baseline) p50 ms", "p99 ms", "blind ÷ plaintext, p50", "residents shown per search"],
                run.Kinds.Select(k => (IReadOnlyList<string>)[k.Kind, Stats.F(k.Searches), Stats.F(k.Blind.Percentile(50), 2), Stats.F(k.Blind.Percentile(99), 2), Stats.F(k.Plain.Percentile(50), 2), Stats.F(k.Plain.Percentile(99), 2), Stats.F(k.Blind.Percentile(50) / k.Plain.Percentile(50), 2), Stats.F(k.MeanMatchesShown, 1)]));
            report.Table(
                ["what it costs", "blind index (rm_residents: terms and their GIN index)", "plaintext table (baseline)", "in-memory index (the alternative): every resident opened at start-up"],
                [["space", $"{Stats.F(run.BlindTableMb)} MB on disk", $"{Stats.F(run.PlainTableMb)} MB on disk", $"{Stats.F(run.InMemoryMb)} MB of each node's heap"], ["start-up", "none", "none", $"{Stats.F(run.InMemoryBuildSeconds, 1)} s per node"]]);
        }

        if (output is not null)
        {
            await WriteResultsAsync(output, report);
            Console.WriteLine($"Results written into {output}.");
        }

        return 0;
    }

    private static string Ratio(Summary summary, BenchmarkReport benchmark)
    {
        var baseline = summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline)?.ResultStatistics?.Mean;
        return baseline is null or 0 || benchmark.ResultStatistics is null ? "–" : Stats.F(benchmark.ResultStatistics.Mean / baseline.Value, 2);
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    /// <summary>The fdatasync line of pg_test_fsync's "one 8kB write" section.</summary>
    private static double? FsyncRate(string text)
    {
        var match = Regex.Match(text, @"fdatasync\s+([\d.,]+)\s+ops/sec", RegexOptions.None, TimeSpan.FromSeconds(1));
        return match.Success ? double.Parse(match.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Replaces the generated part of the results document, keeping the written analysis around it.</summary>
    private static async Task WriteResultsAsync(string path, Report report)
    {
        var results = report.Text;
        var document = File.Exists(path) ? await File.ReadAllTextAsync(path) : $"# Benchmarks\n\n{ResultsStart}\n{ResultsEnd}\n";
        var start = document.IndexOf(ResultsStart, StringComparison.Ordinal);
        var end = document.IndexOf(ResultsEnd, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            document += $"\n{ResultsStart}\n{ResultsEnd}\n";
            start = document.IndexOf(ResultsStart, StringComparison.Ordinal);
            end = document.IndexOf(ResultsEnd, StringComparison.Ordinal);
        }

        await File.WriteAllTextAsync(path, document[..(start + ResultsStart.Length)] + "\n" + results + "\n" + document[end..]);
    }
}
