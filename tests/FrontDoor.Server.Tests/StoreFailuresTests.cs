using System.Net.Sockets;
using FrontDoor.Server.Infrastructure.Store;
using Npgsql;

namespace FrontDoor.Server.Tests;

/// <summary>Which failures a reaction waits out (the database away) and which make it a dead letter in seconds.</summary>
public sealed class StoreFailuresTests
{
    public static TheoryData<string, Exception, bool> Failures => new()
    {
        { "a connection cut mid-command", new NpgsqlException("Exception while reading from stream", new IOException("Connection reset by peer")), true },
        { "a connection refused, as Marten wraps it", new InvalidOperationException("Marten command failed", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))), true },
        { "the server stopped under the command (57P01)", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { "a connection ended because another server process crashed (57P02)", new PostgresException("terminating connection because of crash of another server process", "FATAL", "FATAL", "57P02"), true },
        { "the server still recovering from its crash (57P03)", new PostgresException("the database system is in recovery mode", "FATAL", "FATAL", "57P03"), true },
        { "a connection failure reported by the server (08006)", new PostgresException("connection failure", "FATAL", "FATAL", "08006"), true },
        { "a check constraint refusing the row (23514)", new PostgresException("violates check constraint", "ERROR", "ERROR", "23514"), false },
        { "a unique violation, wrapped (23505)", new InvalidOperationException("Marten command failed", new PostgresException("duplicate key", "ERROR", "ERROR", "23505")), false },
        { "a handler's own bug", new InvalidOperationException("No event 3 in stream contact-1"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failure_is_transient_only_when_the_database_was_away(string what, Exception failure, bool transient) =>
        Assert.True(StoreFailures.IsTransient(failure) == transient, $"{what}: expected transient = {transient}");
}
