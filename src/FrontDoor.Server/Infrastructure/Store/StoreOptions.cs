namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>The <c>Store</c> configuration section.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary><c>sqlite</c> (the embedded default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>For PostgreSQL: an Npgsql connection string. For SQLite: optional, a file path.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where the SQLite file (and other local state) lives when no path is given; relative to the content root.</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>PostgreSQL schema for FrontDoor's tables.</summary>
    public string Schema { get; set; } = "frontdoor";

    /// <summary>SQLite's synchronous pragma: FULL (default, power-loss safe) or NORMAL.</summary>
    public string SqliteSynchronous { get; set; } = "FULL";
}
