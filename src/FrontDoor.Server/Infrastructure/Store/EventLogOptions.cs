using System.Text.RegularExpressions;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>How the event log is opened: where, in which schema, and which event types it stores under which names.</summary>
public sealed partial record EventLogOptions
{
    public required string ConnectionString { get; init; }

    /// <summary>The PostgreSQL schema holding FrontDoor's tables, Marten's included; one database can host several (tests use one each).</summary>
    public string Schema { get; init; } = "frontdoor";

    /// <summary>Every stored type name with the CLR type it is written from; Marten keeps the name in <c>mt_events.type</c>.</summary>
    public required IReadOnlyDictionary<string, Type> EventTypes { get; init; }

    /// <summary>
    /// Whether values of a type carry personal fields. Such a value reaches storage only in the sealed form it was
    /// appended with; Marten is refused any other serialisation of it (see <see cref="PreparedEventSerializer"/>).
    /// </summary>
    public Func<Type, bool> HoldsPersonalData { get; init; } = static _ => false;

    /// <summary>
    /// How a value of a type that holds personal data is read back from the JSON stored for it, sealed fields and all
    /// (the product reads them as null; only the vault opens them). Without it, System.Text.Json reads it as any other.
    /// </summary>
    public Func<string, Type, object>? ReadSealed { get; init; }

    /// <summary>Marten projections run inside every append's transaction (read models no reader may find behind the log).</summary>
    public IReadOnlyList<Marten.Events.Projections.IProjection> InlineProjections { get; init; } = [];

    /// <summary>The kinds of stream changed by decisions, which Marten folds live when one is fetched for writing.</summary>
    public IReadOnlyList<IStreamFold> StreamFolds { get; init; } = [];

    /// <summary>Marten projections its async daemon runs behind the log (read models where a little lag is fine).</summary>
    public IReadOnlyList<AsyncProjection> AsyncProjections { get; init; } = [];

    /// <summary>What records the reactions to each append in its transaction (Wolverine's outbox in the server).</summary>
    public IAppendOutbox Outbox { get; init; } = NoReactions.Instance;

    internal string ValidatedSchema => SchemaPattern().IsMatch(Schema)
        ? Schema
        : throw new ArgumentException($"Schema '{Schema}' must be lower-case letters, digits and underscores.", nameof(Schema));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,50}$")]
    private static partial Regex SchemaPattern();
}

/// <summary>
/// A projection for Marten's async daemon, by the name its progress is kept under and the table it writes. It must
/// write idempotently (an event handed over again changes nothing): a rebuild replays the log over the table as it
/// stands, while a node's daemon may still be writing it.
/// </summary>
public sealed record AsyncProjection(Marten.Events.Projections.IProjection Projection, string Name, string Table)
{
    /// <summary>The row of <c>mt_event_progression</c> the daemon keeps this projection's progress in.</summary>
    public string ShardName => ShardOf(Name);

    /// <summary>Marten's daemon runs a projection of the whole log as one shard, named after it.</summary>
    public static string ShardOf(string name) => name + ":All";

    /// <summary>The position the daemon has projected <paramref name="shardName"/> up to: 0 before it has started.</summary>
    public static Task<long> ProjectedUpToAsync(System.Data.Common.DbConnection connection, string shardName, CancellationToken cancellationToken) =>
        Data.Sql.ScalarAsync(
            connection,
            null,
            "SELECT coalesce(max(last_seq_id), 0) FROM mt_event_progression WHERE name = @shard",
            cancellationToken,
            ("shard", shardName));
}
