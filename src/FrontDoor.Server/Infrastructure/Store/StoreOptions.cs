namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>The <c>Store</c> configuration section.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary>An Npgsql connection string to a PostgreSQL server; unset, FrontDoor runs its own in <see cref="DataFolder"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where local state lives (the embedded PostgreSQL's cluster, the demo signing key); relative to the content root.</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>PostgreSQL schema for FrontDoor's tables.</summary>
    public string Schema { get; set; } = "frontdoor";

    /// <summary>The embedded PostgreSQL, used when no connection string is set.</summary>
    public EmbeddedPostgresOptions Embedded { get; set; } = new();

    public bool IsEmbedded => string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>
    /// The embedded default keeps its personal-data key ring in the data folder, beside the cluster (a copy of the
    /// cluster does not take it along). A server FrontDoor is pointed at has no default: its nodes share one ring,
    /// given to each of them (PersonalData:KeyRingFile or PersonalData:KeyRing).
    /// </summary>
    public string? DefaultKeyRingFile(string contentRoot) =>
        IsEmbedded ? Path.Combine(Path.GetFullPath(DataFolder, contentRoot), "personal-data.keyring") : null;
}
