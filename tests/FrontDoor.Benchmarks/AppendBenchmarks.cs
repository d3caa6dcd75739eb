using System.Diagnostics;
using System.Text.Json;
using FrontDoor.Domain.Contacts;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Postgres;
using FrontDoor.EventStore.Sqlite;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using Microsoft.Data.Sqlite;
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
    private static readonly string Payload = SealedPayload();

    private static readonly EventMetadata Metadata = new(Guid.NewGuid().ToString("D"), null, "demo-agent-desk-12", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    private static string SealedPayload()
    {
        var residentId = Guid.NewGuid();
        var received = new ContactReceived(Guid.NewGuid(), "phone", null, residentId, "Eviction notice received last week and behind with the rent since the hours at work were cut.", ["homelessness", "money-and-debt"], true, "demo-agent-desk-12", DateTimeOffset.UtcNow);
        return DomainEventSerializer.ToSealedEventData(received, Guid.NewGuid(), EventMetadata.Empty, residentId, SealedFields.NewKey()).Data;
    }

    public static async Task<List<AppendRun>> RunAsync(Func<Task<IAppendTarget>> frontDoor, Func<Task<IAppendTarget>> raw, TimeSpan duration, int rounds, TextWriter log)
    {
        var runs = new List<AppendRun>();
        foreach (var scenario in Scenarios)
        {
            for (var round = 0; round < rounds; round++)
            {
                // Alternate which goes first, so neither always meets a warmer cache or a busier disk.
                var order = round % 2 == 0 ? new[] { raw, frontDoor } : [frontDoor, raw];
                foreach (var make in order)
                {
                    await using var target = await make();
                    var run = await MeasureAsync(target, scenario, duration);
                    await log.WriteLineAsync($"  {run.Target,-10} {scenario.Name,-24} {Stats.F(run.EventsPerSecond),10} events/s  p50 {Stats.F(run.P50, 2)} ms  p99 {Stats.F(run.P99, 2)} ms");
                    runs.Add(run);
                }
            }
        }

        return runs;
    }

    public static void Summarise(Report report, IReadOnlyList<AppendRun> runs)
    {
        report.Table(
            ["scenario", "raw events/s", "FrontDoor events/s", "FrontDoor ÷ raw", "raw p50 / p99 ms", "FrontDoor p50 / p99 ms"],
            Scenarios.Select(s =>
            {
                var raw = runs.Where(r => r.Scenario == s && r.Target == "raw").ToList();
                var ours = runs.Where(r => r.Scenario == s && r.Target == "FrontDoor").ToList();
                var rawRate = Stats.Median(raw.Select(r => r.EventsPerSecond));
                var ourRate = Stats.Median(ours.Select(r => r.EventsPerSecond));
                return (IReadOnlyList<string>)
                [
                    s.Name,
                    Stats.F(rawRate),
                    Stats.F(ourRate),
                    Stats.F(ourRate / rawRate, 2),
                    $"{Stats.F(Stats.Median(raw.Select(r => r.P50)), 2)} / {Stats.F(Stats.Median(raw.Select(r => r.P99)), 2)}",
                    $"{Stats.F(Stats.Median(ours.Select(r => r.P50)), 2)} / {Stats.F(Stats.Median(ours.Select(r => r.P99)), 2)}",
                ];
            }));
    }

    private static async Task<AppendRun> MeasureAsync(IAppendTarget target, AppendScenario scenario, TimeSpan duration)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var latencies = new Latencies();
        long events = 0;
        var appendsPerStream = Math.Max(1, 10 / scenario.EventsPerTransaction);
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
                    batch[e] = new EventData(Guid.NewGuid(), ContactReceived.EventType, Payload, Metadata);
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

/// <summary>FrontDoor's own append: expected-version checks, idempotency, telemetry, the one-statement CTE.</summary>
public sealed class FrontDoorAppendTarget(IEventStore store, IAsyncDisposable owner) : IAppendTarget
{
    public string Name => "FrontDoor";

    public Task AppendAsync(string streamId, long expected, IReadOnlyList<EventData> events) =>
        store.AppendAsync(streamId, expected == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(expected), events);

    public ValueTask DisposeAsync() => owner.DisposeAsync();
}

/// <summary>
/// What a hand-written Npgsql program does to store the same rows: one batch (one round trip, one implicit
/// transaction) with an upsert of the stream row and an insert of the event rows, into tables of the same shape.
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
            CREATE TABLE bench_raw.streams (LIKE {shapeSchema}.streams INCLUDING ALL);
            CREATE TABLE bench_raw.events (LIKE {shapeSchema}.events INCLUDING ALL);
            """);
        await command.ExecuteNonQueryAsync();
        return new RawPostgresAppendTarget(dataSource, "bench_raw");
    }

    public async Task AppendAsync(string streamId, long expected, IReadOnlyList<EventData> events)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        var now = DateTimeOffset.UtcNow;
        var upsert = new NpgsqlBatchCommand($"""
            INSERT INTO {schema}.streams AS s (stream_id, version, created_at, updated_at) VALUES ($1, $2, $3, $3)
            ON CONFLICT (stream_id) DO UPDATE SET version = $2, updated_at = $3
            """);
        upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected + events.Count });
        upsert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        var insert = new NpgsqlBatchCommand($"""
            INSERT INTO {schema}.events (stream_id, stream_version, event_id, event_type, data, metadata, created_at)
            SELECT $1, $2 + e.ord, e.id, e.type, e.data::jsonb, e.meta::jsonb, $7
            FROM unnest($3, $4, $5, $6) WITH ORDINALITY AS e(id, type, data, meta, ord)
            """);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamId });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = expected });
        insert.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = events.Select(e => e.EventId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(e => e.Type).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(e => e.Data).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(e => JsonSerializer.Serialize(e.Metadata)).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        batch.BatchCommands.Add(upsert);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}

/// <summary>The same rows into a SQLite file of the same shape and pragmas, in a write transaction per append.</summary>
public sealed class RawSqliteAppendTarget : IAppendTarget
{
    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private RawSqliteAppendTarget(string connectionString, string pragmas)
    {
        _connectionString = connectionString;
        _pragmas = pragmas;
    }

    public string Name => "raw";

    /// <summary>Copies the shape of <paramref name="shapeFile"/>'s streams and events tables into a fresh file.</summary>
    public static RawSqliteAppendTarget Create(string shapeFile, string path, string pragmas)
    {
        List<string> definitions;
        using (var shape = new SqliteConnection($"Data Source={shapeFile};Mode=ReadOnly;Pooling=False"))
        {
            shape.Open();
            using var read = shape.CreateCommand();
            read.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name IN ('streams', 'events') AND sql IS NOT NULL ORDER BY type DESC";
            using var reader = read.ExecuteReader();
            definitions = [];
            while (reader.Read())
            {
                definitions.Add(reader.GetString(0));
            }
        }

        var target = new RawSqliteAppendTarget($"Data Source={path};Pooling=True", pragmas);
        using var connection = target.Open();
        using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL; " + string.Join(";\n", definitions);
        wal.ExecuteNonQuery();
        return target;
    }

    public async Task AppendAsync(string streamId, long expected, IReadOnlyList<EventData> events)
    {
        // Like FrontDoor, one writer at a time in process: SQLite has one write lock, and waiting on a semaphore is
        // cheaper than spinning on SQLITE_BUSY.
        await _writeLock.WaitAsync();
        try
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            var now = DateTimeOffset.UtcNow.ToString("O");
            using (var upsert = connection.CreateCommand())
            {
                upsert.Transaction = transaction;
                upsert.CommandText = "INSERT INTO streams (stream_id, version, created_at, updated_at) VALUES ($stream, $version, $now, $now) ON CONFLICT (stream_id) DO UPDATE SET version = $version, updated_at = $now";
                upsert.Parameters.AddWithValue("$stream", streamId);
                upsert.Parameters.AddWithValue("$version", expected + events.Count);
                upsert.Parameters.AddWithValue("$now", now);
                upsert.ExecuteNonQuery();
            }

            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO events (stream_id, stream_version, event_id, event_type, data, metadata, created_at) VALUES ($stream, $version, $id, $type, $data, $meta, $now)";
            var stream = insert.Parameters.AddWithValue("$stream", streamId);
            var version = insert.Parameters.Add("$version", SqliteType.Integer);
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var type = insert.Parameters.Add("$type", SqliteType.Text);
            var data = insert.Parameters.Add("$data", SqliteType.Text);
            var meta = insert.Parameters.Add("$meta", SqliteType.Text);
            insert.Parameters.AddWithValue("$now", now);
            for (var i = 0; i < events.Count; i++)
            {
                version.Value = expected + i + 1;
                id.Value = events[i].EventId.ToString("D");
                type.Value = events[i].Type;
                data.Value = events[i].Data;
                meta.Value = JsonSerializer.Serialize(events[i].Metadata);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _writeLock.Dispose();
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = _pragmas;
        pragmas.ExecuteNonQuery();
        return connection;
    }
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

        var store = await PostgresEventStore.OpenAsync(new PostgresStoreOptions { ConnectionString = connectionString, Schema = FrontDoorSchema });
        return new FrontDoorAppendTarget(store, store);
    }

    public static IAppendTarget FrontDoorSqlite(string folder)
    {
        var path = Path.Combine(folder, $"frontdoor-{Guid.NewGuid():N}.db");
        var store = SqliteEventStore.Open(new SqliteStoreOptions { Path = path, Synchronous = "FULL" });
        return new FrontDoorAppendTarget(store, store);
    }

    public static string SqlitePragmas => "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;";
}
