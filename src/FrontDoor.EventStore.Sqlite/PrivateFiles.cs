namespace FrontDoor.EventStore.Sqlite;

/// <summary>
/// Files and folders that hold residents' data or secrets, readable and writable by the account FrontDoor runs as
/// and nobody else (on Windows the folder's inherited access rules decide instead).
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (and any missing parents) as the owner's alone; a folder that exists is left as it is.</summary>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerFolder);
        }
    }

    /// <summary>Opens a file; one it creates is the owner's alone from the start (no window in which others may read it).</summary>
    public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerFile;
        }

        return new FileStream(path, options);
    }

    /// <summary>
    /// Makes the database file before SQLite does, as the owner's alone: SQLite gives its <c>-wal</c> and <c>-shm</c>
    /// files the database file's mode. A store made by an earlier version is narrowed to the same.
    /// </summary>
    public static void PrepareDatabase(string path)
    {
        if (!File.Exists(path))
        {
            try
            {
                using var _ = Open(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Made in the meantime; narrowed below like any other.
            }
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + ".owner" })
        {
            if (File.Exists(file) && (File.GetUnixFileMode(file) & ~OwnerFile) != 0)
            {
                File.SetUnixFileMode(file, OwnerFile);
            }
        }
    }
}
