using System.Text.Json;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Infrastructure.Store;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;

namespace FrontDoor.Benchmarks;

/// <summary>
/// How Marten is set up for an append: the backbone's settings (<see cref="Product"/>) and the variants that say
/// where its time goes beside them.
/// </summary>
public sealed record MartenAppendSettings(string Name, EventAppendMode Mode, bool Metadata, bool UniqueEventIds, bool StartStream = false, bool ResetOnClose = true, int MaxAutoPrepare = 0)
{
    /// <summary>
    /// What the backbone needs: string stream keys (<c>contact-…</c>), the stored type names, correlation,
    /// causation and headers (actor, trace) in Marten's metadata, and a unique index on event ids, without which a
    /// retried append with the same ids is stored twice instead of refused.
    /// </summary>
    public static readonly MartenAppendSettings Product = new("Marten", EventAppendMode.Quick, Metadata: true, UniqueEventIds: true);

    /// <summary>Marten's default append mode, which also stamps server timestamps on the appended events.</summary>
    public static readonly MartenAppendSettings ServerTimestamps = new("Marten, quick with server timestamps", EventAppendMode.QuickWithServerTimestamps, Metadata: true, UniqueEventIds: true);

    /// <summary>Rich mode reserves sequence numbers and reads the stream's version before it writes.</summary>
    public static readonly MartenAppendSettings Rich = new("Marten, rich", EventAppendMode.Rich, Metadata: true, UniqueEventIds: true);

    /// <summary>What the metadata columns and the event-id index cost: neither is written.</summary>
    public static readonly MartenAppendSettings Bare = new("Marten, no metadata or id index", EventAppendMode.Quick, Metadata: false, UniqueEventIds: false);

    public static readonly MartenAppendSettings StartingStreams = new("Marten, StartStream for a new stream", EventAppendMode.Quick, Metadata: true, UniqueEventIds: true, StartStream: true);

    public static readonly MartenAppendSettings NoReset = new("Marten, no reset on close", EventAppendMode.Quick, Metadata: true, UniqueEventIds: true, ResetOnClose: false);

    /// <summary>
    /// Npgsql resets a pooled connection without DISCARD ALL once it holds prepared statements, so the session keeps
    /// the append function's cached plans while its advisory locks, temporary tables and settings are still reset.
    /// </summary>
    public static readonly MartenAppendSettings AutoPrepared = new("Marten, auto-prepared statements", EventAppendMode.Quick, Metadata: true, UniqueEventIds: true, MaxAutoPrepare: 20);

    public static readonly MartenAppendSettings[] All = [Product, ServerTimestamps, Rich, Bare, StartingStreams, NoReset, AutoPrepared];

    public string ConnectionString(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString)
    {
        NoResetOnClose = !ResetOnClose,
        MaxAutoPrepare = MaxAutoPrepare,
        AutoPrepareMinUsages = 2,
    }.ConnectionString;
}

/// <summary>
/// Marten's event append with the events FrontDoor stores: a <see cref="ContactReceived"/> whose summary is already
/// sealed (the same bytes the other targets write), the caller's event ids and an expected version on every append.
/// </summary>
public sealed class MartenAppendTarget(DocumentStore store, MartenAppendSettings settings) : IAppendTarget
{
    // Shared by the concurrent writers: a reference, so a reader sees a whole pair or the previous one.
    private volatile ParsedPayload? lastPayload;

    public const string Schema = "bench_marten";

    public string Name => settings.Name;

    public static async Task<IAppendTarget> CreateAsync(string connectionString, MartenAppendSettings settings)
    {
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }

        var store = DocumentStore.For(options =>
        {
            options.Connection(settings.ConnectionString(connectionString));
            options.DatabaseSchemaName = Schema;
            options.AutoCreateSchemaObjects = AutoCreate.All;
            options.Events.StreamIdentity = StreamIdentity.AsString;
            options.Events.AppendMode = settings.Mode;
            options.Events.MetadataConfig.CorrelationIdEnabled = settings.Metadata;
            options.Events.MetadataConfig.CausationIdEnabled = settings.Metadata;
            options.Events.MetadataConfig.HeadersEnabled = settings.Metadata;
            options.Events.EnableUniqueIndexOnEventId = settings.UniqueEventIds;
            options.Events.MapEventType<ContactReceived>(ContactReceived.EventType);
        });

        // Created here, not by the first append, so no round of the benchmark pays for the schema.
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return new MartenAppendTarget(store, settings);
    }

    public async Task AppendAsync(string streamId, long expected, IReadOnlyList<EventData> events)
    {
        await using var session = store.LightweightSession();
        var metadata = events[0].Metadata;
        if (settings.Metadata)
        {
            session.CorrelationId = metadata.CorrelationId;
            session.CausationId = metadata.CausationId;
            session.SetHeader("actor", metadata.Actor!);
            session.SetHeader("traceparent", metadata.TraceParent!);
        }

        var appended = new object[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var @event = session.Events.BuildEvent(DomainObject(events[i].Data));
            @event.Id = events[i].EventId;
            appended[i] = @event;
        }

        // Marten's expected version is the stream's version after the append, not before it.
        if (expected == 0 && settings.StartStream)
        {
            session.Events.StartStream(streamId, appended);
        }
        else
        {
            session.Events.Append(streamId, expected + events.Count, appended);
        }

        await session.SaveChangesAsync();
    }

    /// <summary>
    /// The event as an object, which is what Marten serialises. Read once per payload: the benchmark's payloads are
    /// one shared string, and parsing it again per append would time this program rather than Marten.
    /// </summary>
    private ContactReceived DomainObject(string data)
    {
        var last = lastPayload;
        if (last is not null && ReferenceEquals(last.Data, data))
        {
            return last.Event;
        }

        var parsed = JsonSerializer.Deserialize<ContactReceived>(data, JsonSerializerOptions.Web)!;
        lastPayload = new ParsedPayload(data, parsed);
        return parsed;
    }

    public ValueTask DisposeAsync()
    {
        store.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed record ParsedPayload(string Data, ContactReceived Event);
}
