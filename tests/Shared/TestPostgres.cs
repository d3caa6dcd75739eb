using System.Diagnostics;

namespace FrontDoor.Testing;

/// <summary>
/// The throwaway PostgreSQL server the tests use: the one the test command started (FRONTDOOR_TEST_POSTGRES), or
/// one started here through ops/postgres.sh on first use.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<string>> Server = new(StartServerAsync);

    public static Task<string> ConnectionStringAsync() => Server.Value;

    /// <summary>A fresh schema name, so each test has its own tables in the shared server.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>
    /// Where the personal-data key ring of a schema's tests is kept: outside the database, as the server requires, and
    /// shared by every process that opens the schema (nodes, the command line), as a council's nodes share theirs. The
    /// first server to open the schema creates it.
    /// </summary>
    public static string KeyRingFileFor(string schema) => Path.Combine(Path.GetTempPath(), "frontdoor-test-key-rings", schema + ".keyring");

    public static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "FrontDoor.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("FrontDoor.sln not found above the test binaries.");
    }

    private static async Task<string> StartServerAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("FRONTDOOR_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        var script = Path.Combine(RepositoryRoot(), "ops", "postgres.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "start"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ops/postgres.sh start failed: {errors}");
        }

        return output.Trim().Split('\n')[^1];
    }
}
