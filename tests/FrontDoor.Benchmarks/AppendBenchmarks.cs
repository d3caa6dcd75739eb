using System.Diagnostics;
using System.Text.Json;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;
using Npgsql;
using NpgsqlTypes;

namespace FrontDoor.Benchmarks;

/// <summary>One way of writing a stream's events: FrontDoor's adapter, or the same rows written by hand.</summary>
public interface IAppendTarget : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Writes <paramref name="events"/> as versions <paramref name="expected"/>+1… of the stream, in one transaction.</summary>
    Task AppendAsync(string streamId, long expected, IReadOnlyList<EventData> events);
}

public sealed record AppendScenario(string Name, int Writers, int EventsPerTransaction);

public sealed record AppendRun(string Target, AppendScenario Scenario, double EventsPerSecond, double P50, double P99);

/// <summary>
/// Append throughput and latency, FrontDoor's adapter against a raw baseline writing the same row shapes (a stream
/// row and its event rows) in the same transactions, run in alternation so both see the same machine.
/// </summary>
public static class AppendBenchmarks
{
    public static readonly AppendScenario[] Scenarios =
    [
        new("1 event/tx, 1 writer", 1, 1),
        new("1 event/tx, 8 writers", 8, 1),
        new("100 events/tx, 1 writer", 1, 100),
    ];

    /// <summary>A contact as the server stores it: the summary sealed under the resident's key.</summary>
    private static readonly EventData Sealed = SealedContact();

    private static readonly string Payload = Sealed.Data;

    private static readonly EventMetadata Metadata = new(Guid.NewGuid().ToString("D"), null, "demo-agent-desk-12", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    private static EventData SealedContact()
    {
        var residentId = Guid.NewGuid();
        var received = new ContactReceived(Guid.NewGuid(), "phone", null, residentId, "Eviction notice received last week and behind with the rent since the hours at work were cut.", ["homelessness", "money-and-debt"], true, "demo-agent-desk-12", DateTimeOffset.UtcNow);
        return DomainEventSerializer.ToSealedEventData(received, Guid.NewGuid(), EventMetadata.Empty, residentId, SealedFields.NewKey());
    }

    /// <summary>
    /// Measures every target in every scenario. The first target is the raw baseline the others are divided by; each
    /// round starts from a different target, so none always meets a warmer cache or a busier disk.
    /// </summary>
    public static async Task<List<AppendRun>> RunAsync(IReadOnlyList<Func<Task<IAppendTarget>>> targets, TimeSpan duration, int rounds, TextWriter log)
    {
        var runs = new List<AppendRun>();
        foreach (var scenario in Scenarios)
        {
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < targets.Count; i++)
                {
                    await using var target = await targets[(round + i) % targets.Count]();
                    var run = await MeasureAsync(target, scenario, duration);
                    await log.WriteLineAsync($"  {run.Target,-34} {scenario.Name,-24} {Stats.F(run.EventsPerSecond),10} events/s  p50 {Stats.F(run.P50, 2)} ms  p99 {Stats.F(run.P99, 2)} ms");
                    runs.Add(run);
                }
            }
        }

        return runs;
    }

    public static void Summarise(Report report, IReadOnlyList<AppendRun> runs)
    {
        // The first run is the first target's (RunAsync starts every scenario's first round with it): the baseline.
        var baseline = runs[0].Target;
        var targets = runs.Select(r => r.Target).Distinct().ToList();
        report.Table(
            ["scenario", "target", "events/s", $"÷ {baseline}", "p50 / p99 ms"],
            Scenarios.SelectMany(s =>
            {
                var rawRate = Stats.Median(runs.Where(r => r.Scenario == s && r.Target == baseline).Select(r => r.EventsPerSecond));
                return targets.Select(target =>
                {
                    var these = runs.Where(r => r.Scenario == s && r.Target == target).ToList();
                    var rate = Stats.Median(these.Select(r => r.EventsPerSecond));
                    return (IReadOnlyList<string>)
                    [
                        s.Name,
                        target,
                        Stats.F(rate),
                        Stats.F(rate / rawRate, 2),
                        $"{Stats.F(Stats.Median(these.Select(r => r.P50)), 2)} / {Stats.F(Stats.Median(these.Select(r => r.P99)), 2)}",
                    ];
                });
            }));
    }

    private static async Task<AppendRun> MeasureAsync(IAppendTarget target, AppendScenario scenario, TimeSpan duration)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var latencies = new Latencies();
        long events = 0;
        var appendsPerStream = Math.Max(1, 10 / scenario.EventsPerTransaction);

        // One untimed append first: what a target builds on first use (prepared statements, Marten's storage
        // operations) is start-up, not the append rate.
        await target.AppendAsync($"bench-{run}-warm-up", 0, [Sealed with { EventId = Guid.NewGuid(), Metadata = Metadata }]);
        var started = Stopwatch.GetTimestamp();
        var until = DateTime.UtcNow + duration;
        await Task.WhenAll(Enumerable.Range(0, scenario.Writers).Select(writer => Task.Run(async () =>
        {
            // Bounded by time and by count, whichever comes first.
            for (var i = 0; i < 5_000_000 && DateTime.UtcNow < until; i++)
            {
                var stream = $"bench-{run}w{writer}s{i / appendsPerStream}";
                var expected = (long)(i % appendsPerStream) * scenario.EventsPerTransaction;
                var batch = new EventData[scenario.EventsPerTransaction];
                for (var e = 0; e < batch.Length; e++)
                {
                    batch[e] = Sealed with { EventId = Guid.NewGuid(), Metadata = Metadata };
                }

                var appendStarted = Stopwatch.GetTimestamp();
                await target.AppendAsync(stream, expected, batch);
                latencies.AddSince(appendStarted);
                Interlocked.Add(ref events, batch.Length);
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new AppendRun(target.Name, scenario, events / elapsed, latencies.Percentile(50), latencies.Percentile(99));
    }
}

/// <summary>
/// FrontDoor's append, as the product makes it: the stream locked (or the transaction's id taken) first, then Marten's
/// quick append in the same transaction, with expected-version checks, idempotency and telemetry.
/// </summary>
public sealed class FrontDoorAppendTarget(IEventLog store, IAsyncDisposable owner) : IAppendTarget
{
    public string Name => "FrontDoor";

    public Task AppendAsync(string streamId, long expected, IReadOnlyList<EventData> events) =>
        store.AppendAsync(streamId, expected == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(expected), events);

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}

/// <summary>
/// What a hand-written Npgsql program does to store the same rows: one batch (one round trip, one implicit
/// transaction) with an upsert of the stream row and an insert of the event rows, metadata included, into tables of
/// the shape Marten's are.
/// </summary>
public sealed class RawPostgresAppendTarget(NpgsqlDataSource dataSource, string schema) : IAppendTarget
{
    public string Name => "raw";

    public static async Task<RawPostgresAppendTarget> CreateAsync(string connectionString, string shapeSchema)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand($"""
            DROP SCHEMA IF EXISTS bench_raw CASCADE;
            CREATE SCHEMA bench_raw;
            CREATE TABLE bench_raw.streams (LIKE {shapeSchema}.mt_streams INCLUDING ALL);
            CREATE TABLE bench_raw.events (LIKE {shapeSchema}.mt_events INCLUDING ALL);
            CREATE SEQUENCE bench_raw.events_sequence;
            """);
        await command.ExecuteNonQueryAsync();
        return new RawPostgresAppendTarget(dataSource, "bench_raw");
    }

    public async Task AppendAsync(string streamId, long expected, IReadOnlyList<EventData> events)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        var upsert = new NpgsqlBatchCommand($"""
            INSERT INTO {schema}.streams AS s (id, version) VALUES ($1, $2)
            ON CONFLICT (id) DO UPDATE SET version = $2, timestamp = now()
            """);
        upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected + events.Count });
        var insert = new NpgsqlBatchCommand($"""
            INSERT INTO {schema}.events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type, correlation_id, causation_id, headers)
            SELECT nextval('{schema}.events_sequence'), e.id, $1, $2 + e.ord, e.data::jsonb, e.type, now(), $8, e.correlation, e.causation, e.headers::jsonb
            FROM unnest($3, $4, $5, $6, $7, $9) WITH ORDINALITY AS e(id, type, data, correlation, causation, headers, ord)
            """);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected });
        insert.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = events.Select(e => e.EventId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(e => e.Type).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(e => e.Data).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = events.Select(e => e.Metadata.CorrelationId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = events.Select(e => e.Metadata.CausationId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = typeof(ContactReceived).FullName! });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(e => JsonSerializer.Serialize(new { actor = e.Metadata.Actor, traceparent = e.Metadata.TraceParent })).ToArray() });
        batch.BatchCommands.Add(upsert);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}

public static class AppendTargets
{
    public const string FrontDoorSchema = "bench_frontdoor";

    public static async Task<IAppendTarget> FrontDoorPostgresAsync(string connectionString)
    {
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {FrontDoorSchema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }

        var store = await MartenEventLog.OpenAsync(StoreRegistration.LogOptions(connectionString, FrontDoorSchema));
        return new FrontDoorAppendTarget(store, store);
    }
}
