namespace FrontDoor.EventStore.Sqlite;

public sealed record SqliteStoreOptions
{
    /// <summary>Path of the database file; its folder is created if missing.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// <c>FULL</c> syncs the WAL on every commit (survives power loss); <c>NORMAL</c> syncs at checkpoints only
    /// (survives a process crash, may lose the last commits on power loss).
    /// </summary>
    public string Synchronous { get; init; } = "FULL";

    /// <summary>How long a write waits for the file's write lock before it fails.</summary>
    public TimeSpan WriteLockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Overwrite deleted content with zeros, so erased data does not linger in free pages.</summary>
    public bool SecureDelete { get; init; } = true;
}
