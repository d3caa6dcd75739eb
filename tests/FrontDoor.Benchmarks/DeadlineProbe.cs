using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Testing;
using Npgsql;

namespace FrontDoor.Benchmarks;

public sealed record DeadlineRun(int Deadlines, double PollingSeconds, Latencies FrontDoor, Latencies Raw, double ScheduledRowsPerContact);

/// <summary>
/// How late a deadline is handled: immediate referrals due a few seconds after they are raised, each marked overdue by
/// its Wolverine scheduled message (lateness = the overdue event's time − the due time, from the log). Beside it, the
/// raw baseline for any timer that polls at the same interval: the same due times in a plain table, and a loop that
/// every interval stamps the rows that have come due (lateness = stamp − due time).
/// </summary>
public static class DeadlineProbe
{
    private const string Schema = "bench_deadlines";
    private static readonly TimeSpan DueAfter = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Polling = TimeSpan.FromSeconds(1);

    public static async Task<DeadlineRun> RunAsync(string serverDll, string connectionString, int deadlines, TextWriter log)
    {
        await ServerSettings.DropSchemaAsync(connectionString, Schema);
        var settings = new ServerSettings(serverDll, connectionString, Schema, Path.Combine(Path.GetTempPath(), "frontdoor-bench-deadlines"))
        {
            Environment = new Dictionary<string, string>
            {
                ["FrontDoor__ImmediateTarget"] = DueAfter.ToString("c"),
                ["Messaging__ScheduledPolling"] = Polling.ToString("c"),
            },
        };
        await using var server = await ServerProcess.StartAsync(settings, line => Console.Error.WriteLine($"  server: {line}"));
        using var agent = await server.SignInAsync("agent");

        // Spread over two seconds, so due times do not all fall in one polling interval.
        var spacing = TimeSpan.FromMilliseconds(2000.0 / deadlines);
        for (var i = 0; i < deadlines; i++)
        {
            using var response = await agent.PostAsJsonAsync("/api/contacts", new RecordContactRequest("phone", null, null, "Found confused and alone at home.", [NeedCodes.AdultSafeguarding], true));
            response.EnsureSuccessStatusCode();
            await Task.Delay(spacing);
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var waiting = Stopwatch.StartNew();
        while (await CountAsync(dataSource, $"SELECT count(*) FROM {Schema}.mt_events WHERE type = 'referral-overdue.v1'") < deadlines)
        {
            if (waiting.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException("Not every referral was marked overdue within two minutes.");
            }

            await Task.Delay(100);
        }

        var frontDoor = new Latencies();
        await using (var overdue = dataSource.CreateCommand($"SELECT data::text FROM {Schema}.mt_events WHERE type = 'referral-overdue.v1'"))
        await using (var reader = await overdue.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                using var json = JsonDocument.Parse(reader.GetString(0));
                var dueAt = json.RootElement.GetProperty("dueAt").GetDateTimeOffset();
                var at = json.RootElement.GetProperty("at").GetDateTimeOffset();
                frontDoor.Add((at - dueAt).TotalMilliseconds);
            }
        }

        var contacts = await CountAsync(dataSource, $"SELECT count(*) FROM {Schema}.mt_streams WHERE id LIKE 'contact-%'");
        var scheduledRows = await CountAsync(dataSource, $"SELECT count(*) FROM {Schema}.wolverine_incoming_envelopes WHERE status = 'Scheduled'");
        var raw = await RawPolledTimerAsync(dataSource, deadlines, spacing);
        await log.WriteLineAsync($"  deadlines: FrontDoor p50 {frontDoor.Percentile(50):F0} ms late, raw polled timer p50 {raw.Percentile(50):F0} ms");
        return new DeadlineRun(deadlines, Polling.TotalSeconds, frontDoor, raw, (double)scheduledRows / contacts);
    }

    private static async Task<Latencies> RawPolledTimerAsync(NpgsqlDataSource dataSource, int deadlines, TimeSpan spacing)
    {
        await using (var create = dataSource.CreateCommand($"CREATE TABLE {Schema}.raw_deadlines (id int PRIMARY KEY, due_at timestamptz NOT NULL, fired_at timestamptz NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var start = DateTimeOffset.UtcNow + DueAfter;
        await using (var insert = dataSource.CreateCommand($"INSERT INTO {Schema}.raw_deadlines (id, due_at) SELECT i, $1 + i * $2 FROM generate_series(0, $3 - 1) AS i"))
        {
            insert.Parameters.AddWithValue(start);
            insert.Parameters.AddWithValue(spacing);
            insert.Parameters.AddWithValue(deadlines);
            await insert.ExecuteNonQueryAsync();
        }

        var latencies = new Latencies();
        while (latencies.Count < deadlines)
        {
            await using var fire = dataSource.CreateCommand($"UPDATE {Schema}.raw_deadlines SET fired_at = clock_timestamp() WHERE fired_at IS NULL AND due_at <= clock_timestamp() RETURNING extract(epoch FROM fired_at - due_at) * 1000");
            await using var reader = await fire.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                latencies.Add((double)reader.GetDecimal(0));
            }

            await Task.Delay(Polling);
        }

        return latencies;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
