using System.Text.RegularExpressions;

namespace FrontDoor.EventStore.Postgres;

public sealed partial record PostgresStoreOptions
{
    public required string ConnectionString { get; init; }

    /// <summary>The PostgreSQL schema holding FrontDoor's tables; one database can host several (tests use one each).</summary>
    public string Schema { get; init; } = "frontdoor";

    /// <summary>How often a lease holder proves its connection (and so its advisory lock) is still alive.</summary>
    public TimeSpan LeaseKeepAliveInterval { get; init; } = TimeSpan.FromSeconds(1);

    internal string ValidatedSchema => SchemaPattern().IsMatch(Schema)
        ? Schema
        : throw new ArgumentException($"Schema '{Schema}' must be lower-case letters, digits and underscores.", nameof(Schema));

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,50}$")]
    private static partial Regex SchemaPattern();
}
