using System.Diagnostics;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Operations;
using FrontDoor.Server.ReadModels;
using Npgsql;

namespace FrontDoor.Benchmarks;

public sealed record CatchUpRun(long Events, double RawEventsPerSecond, double ReaderEventsPerSecond, double DeserialisingEventsPerSecond, double RebuildEventsPerSecond, long RebuildRows);

/// <summary>
/// The log's gap-safe reader (what a node's live pushes follow) reading a long log from the start, against a raw
/// sequential read of the same table; then a projection rebuild over the same log. The log holds real domain events:
/// contact journeys with their referrals.
/// </summary>
public static class CatchUpBenchmark
{
    /// <summary>Summaries are sealed as the server seals them; one key serves every seeded contact.</summary>
    private static readonly byte[] SummaryKey = SealedFields.NewKey();

    public const string Schema = "bench_catchup";

    // Beside the schema, which every run drops first: its key ring holds no subject key worth keeping.
    private static readonly string KeyRingFile = Path.Combine(Path.GetTempPath(), "frontdoor-bench", Schema + ".keyring");

    public static async Task<CatchUpRun> RunAsync(string connectionString, long events, TextWriter log)
    {
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }

        // Seeding is not what is measured: its session alone skips waiting for the disk at each commit.
        await using (var seeding = await CliApp.OpenAsync("postgres", connectionString + ";Options=-c synchronous_commit=off", Schema, keyRingFile: KeyRingFile))
        {
            await SeedAsync(seeding.Events, events, log);
        }

        await using var store = await CliApp.OpenAsync("postgres", connectionString, Schema, keyRingFile: KeyRingFile);
        var head = await store.Events.ReadHeadPositionAsync();

        await using var raw = NpgsqlDataSource.Create(connectionString);
        var rawRate = await RawReadAsync(raw, head);
        await log.WriteLineAsync($"  raw sequential read: {Stats.F(rawRate)} events/s");

        // The log's reader (pages, and the gap check on each) beside the raw read, then the same turning every event
        // into its domain event.
        var readerRate = await ReaderCatchUpAsync(store.Events, head, deserialise: false);
        await log.WriteLineAsync($"  log reader catch-up: {Stats.F(readerRate)} events/s");
        var deserialisingRate = await ReaderCatchUpAsync(store.Events, head, deserialise: true);
        await log.WriteLineAsync($"  log reader catch-up, deserialising each event: {Stats.F(deserialisingRate)} events/s");

        var rebuild = await store.RebuildAsync(new ContactsProjection(), null, CancellationToken.None);
        var rebuildRate = rebuild.Position / rebuild.Elapsed.TotalSeconds;
        await log.WriteLineAsync($"  Marten's rebuild of rm_contacts: {Stats.F(rebuildRate)} events/s, {rebuild.Rows} rows");
        return new CatchUpRun(head, rawRate, readerRate, deserialisingRate, rebuildRate, rebuild.Rows);
    }

    /// <summary>Journeys of five events: a contact received, assessed and referred; its referral raised and claimed.</summary>
    private static async Task SeedAsync(IEventLog store, long events, TextWriter log)
    {
        var journeys = events / 5;
        var started = Stopwatch.GetTimestamp();
        long written = 0;
        const int writers = 4;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var j = writer; j < journeys; j += writers)
            {
                var at = DateTimeOffset.UtcNow.AddMinutes(-j);
                var contactId = Guid.NewGuid();
                var referralId = Guid.NewGuid();
                var metadata = new EventMetadata(contactId.ToString("D"), null, "demo-agent-desk-3", null);
                var needs = new[] { Vocabulary.Needs[(int)(j % Vocabulary.Needs.Count)] };
                var service = Vocabulary.Services[(int)(j % 4)];
                var due = at.AddDays(5);
                object[] contact =
                [
                    new ContactReceived(contactId, "phone", null, null, "Behind with the rent and worried about the winter.", needs, true, "demo-agent-desk-3", at),
                    new NeedsAssessed(contactId, needs, false, PriorityCodes.Standard, "system:router", at),
                    new ContactReferred(contactId, referralId, service, PriorityCodes.Standard, due, "system:router", at),
                ];
                object[] referral =
                [
                    new ReferralRaised(referralId, contactId, null, service, PriorityCodes.Standard, due, "need:" + needs[0], needs, null, "system:router", at),
                    new ReferralClaimed(referralId, contactId, "demo-worker", "demo-worker", at.AddMinutes(30)),
                ];
                var sealedContact = contact.Select(e => e is ContactReceived received
                    ? DomainEventSerializer.ToSealedEventData(received, Guid.NewGuid(), metadata, contactId, SummaryKey)
                    : DomainEventSerializer.ToEventData(e, Guid.NewGuid(), metadata)).ToArray();
                await store.AppendAsync(StreamIds.Contact(contactId), ExpectedVersion.NoStream, sealedContact);
                await store.AppendAsync(StreamIds.Referral(referralId), ExpectedVersion.NoStream, referral.Select(e => DomainEventSerializer.ToEventData(e, Guid.NewGuid(), metadata)).ToArray());
                if (Interlocked.Add(ref written, 5) % 100_000 == 0)
                {
                    await log.WriteLineAsync($"  seeded {written:N0} events");
                }
            }
        })));
        await log.WriteLineAsync($"  seeded {written:N0} events in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
    }

    private static async Task<double> RawReadAsync(NpgsqlDataSource dataSource, long head)
    {
        var started = Stopwatch.GetTimestamp();
        await using var command = dataSource.CreateCommand($"SELECT seq_id, stream_id, version, id, type, data::text, correlation_id, causation_id, headers->>'actor', headers->>'traceparent', timestamp FROM {Schema}.mt_events WHERE seq_id <= $1 ORDER BY seq_id");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = head });
        await using var reader = await command.ExecuteReaderAsync();
        long read = 0;
        while (await reader.ReadAsync())
        {
            _ = reader.GetInt64(0);
            _ = reader.GetString(1);
            _ = reader.GetInt64(2);
            _ = reader.GetGuid(3);
            _ = reader.GetString(4);
            _ = reader.GetString(5);
            for (var column = 6; column < 10; column++)
            {
                _ = reader.IsDBNull(column) ? null : reader.GetString(column);
            }

            _ = reader.GetFieldValue<DateTimeOffset>(10);
            read++;
        }

        return read / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Pages of 1,000 through the log's gap-safe reader from the start to <paramref name="head"/>.</summary>
    private static async Task<double> ReaderCatchUpAsync(IEventLog store, long head, bool deserialise)
    {
        var started = Stopwatch.GetTimestamp();
        long position = 0, read = 0;
        while (position < head)
        {
            var page = await store.ReadAllAsync(position, 1000);
            foreach (var recorded in page)
            {
                if (deserialise)
                {
                    _ = DomainEventSerializer.Deserialize(recorded);
                }

                read++;
                position = recorded.Position;
            }
        }

        var rate = read / Stopwatch.GetElapsedTime(started).TotalSeconds;
        return read == head ? rate : throw new InvalidOperationException($"The reader gave {read} events of {head}: its rate would mean nothing.");
    }
}
