using System.Diagnostics;
using FrontDoor.Testing;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// A PostgreSQL server of the fault tests' own (ops/postgres.sh on its own port), because they crash it: the
/// server the other tests share is never touched.
/// </summary>
public static class FaultDatabase
{
    private static readonly string Port = Environment.GetEnvironmentVariable("FRONTDOOR_FAULT_PG_PORT") is { Length: > 0 } port ? port : "25434";
    private static readonly Lazy<Task<string>> Server = new(() => RunAsync("start"));

    public static Task<string> ConnectionStringAsync() => Server.Value;

    /// <summary>Stops the server as a power cut would: no checkpoint, every connection cut.</summary>
    public static Task CrashAsync() => RunAsync("crash");

    /// <summary>Starts the crashed server on its own data (crash recovery runs first).</summary>
    public static Task ResumeAsync() => RunAsync("resume");

    private static async Task<string> RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(TestPostgres.RepositoryRoot(), "ops", "postgres.sh"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["FRONTDOOR_PG_PORT"] = Port;

        // Durable like production: with synchronous_commit off, a crash forgets commits it already acknowledged,
        // and the scenarios would blame FrontDoor for the database's bargain.
        start.Environment["FRONTDOOR_PG_DURABLE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ops/postgres.sh {command} failed: {await errors}");
        }

        return (await output).Trim().Split('\n')[^1];
    }
}
