using System.Diagnostics;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Operations;
using FrontDoor.Server.ReadModels;
using FrontDoor.Server.ReadModels.Rebuilding;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FrontDoor.Benchmarks;

public sealed record CatchUpRun(long Events, double RawEventsPerSecond, double SubscriptionEventsPerSecond, double DeserialisingEventsPerSecond, double RebuildEventsPerSecond, long RebuildRows);

/// <summary>
/// A subscription catching up over a long log, against a raw sequential read of the same table; then a projection
/// rebuild over the same log. The log holds real domain events: contact journeys with their referrals.
/// </summary>
public static class CatchUpBenchmark
{
    /// <summary>Summaries are sealed as the server seals them; one key serves every seeded contact.</summary>
    private static readonly byte[] SummaryKey = SealedFields.NewKey();

    public const string Schema = "bench_catchup";

    public static async Task<CatchUpRun> RunAsync(string connectionString, long events, TextWriter log)
    {
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }

        // Seeding is not what is measured: its session alone skips waiting for the disk at each commit.
        await using (var seeding = await CliApp.OpenAsync("postgres", connectionString + ";Options=-c synchronous_commit=off", Schema))
        {
            await SeedAsync(seeding.Events, events, log);
        }

        await using var store = await CliApp.OpenAsync("postgres", connectionString, Schema);
        var head = await store.Events.ReadHeadPositionAsync();

        await using var raw = NpgsqlDataSource.Create(connectionString);
        var rawRate = await RawReadAsync(raw, head);
        await log.WriteLineAsync($"  raw sequential read: {Stats.F(rawRate)} events/s");

        // The subscription's own machinery (pages, gap checks, a unit of work and a checkpoint per batch) beside the
        // raw read, then the same with a handler that turns every event into its domain event.
        var counting = new CountingHandler();
        var subscriptionRate = await SubscriptionCatchUpAsync("bench-catch-up", counting, store.Events, store.Subscriptions, head);
        if (counting.Handled != head)
        {
            throw new InvalidOperationException($"The subscription handled {counting.Handled} events of {head}: its rate would mean nothing.");
        }

        await log.WriteLineAsync($"  subscription catch-up: {Stats.F(subscriptionRate)} events/s");
        var deserialisingRate = await SubscriptionCatchUpAsync("bench-catch-up-deserialising", new DeserialisingHandler(), store.Events, store.Subscriptions, head);
        await log.WriteLineAsync($"  subscription catch-up, deserialising each event: {Stats.F(deserialisingRate)} events/s");

        var rebuild = await new ReadModelRebuild(store, new ContactsProjection(), TimeProvider.System).RunAsync(null, CancellationToken.None);
        var rebuildRate = rebuild.EventsRead / rebuild.Elapsed.TotalSeconds;
        await log.WriteLineAsync($"  rebuild of rm_contacts: {Stats.F(rebuildRate)} events/s, {rebuild.RowsWritten} rows");
        return new CatchUpRun(head, rawRate, subscriptionRate, deserialisingRate, rebuildRate, rebuild.RowsWritten);
    }

    /// <summary>Journeys of five events: a contact received, assessed and referred; its referral raised and claimed.</summary>
    private static async Task SeedAsync(IEventStore store, long events, TextWriter log)
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
                    new NeedsAssessed(contactId, needs, false, PriorityCodes.Standard, "front-door-router", at),
                    new ContactReferred(contactId, referralId, service, PriorityCodes.Standard, due, "front-door-router", at),
                ];
                object[] referral =
                [
                    new ReferralRaised(referralId, contactId, null, service, PriorityCodes.Standard, due, "need:" + needs[0], needs, null, "front-door-router", at),
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

    /// <summary>A real subscription (lease, pages, a unit of work and a checkpoint per batch) whose handler deserialises each event.</summary>
    private static async Task<double> SubscriptionCatchUpAsync(string name, ISubscriptionHandler handler, IEventStore store, ISubscriptionStore subscriptions, long head)
    {
        var monitor = new SubscriptionMonitor();
        var runner = new SubscriptionRunner(name, handler, store, subscriptions, monitor, NullLogger.Instance, new SubscriptionOptions());
        using var stop = new CancellationTokenSource();
        var started = Stopwatch.GetTimestamp();
        var running = runner.RunAsync(stop.Token);
        await monitor.WaitForCheckpointAsync(head, TimeSpan.FromMinutes(30), [name]);
        var rate = head / Stopwatch.GetElapsedTime(started).TotalSeconds;
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }

        return rate;
    }

    private sealed class CountingHandler : ISubscriptionHandler
    {
        public long Handled { get; private set; }

        public ValueTask HandleAsync(RecordedEvent recordedEvent, SubscriptionContext context, CancellationToken cancellationToken)
        {
            Handled++;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class DeserialisingHandler : ISubscriptionHandler
    {
        public ValueTask HandleAsync(RecordedEvent recordedEvent, SubscriptionContext context, CancellationToken cancellationToken)
        {
            _ = DomainEventSerializer.Deserialize(recordedEvent);
            return ValueTask.CompletedTask;
        }
    }
}
