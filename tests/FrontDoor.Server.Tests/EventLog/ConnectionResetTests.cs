using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Testing;
using Npgsql;

namespace FrontDoor.Server.Tests.EventLog;

/// <summary>
/// What a pooled connection keeps when it goes back to the pool: the log's keep their session (so PL/pgSQL keeps the
/// plans of Marten's append function), Marten's and Wolverine's are reset (so a session lock left behind is freed).
/// A statement prepared by hand stands in for the session's state: DISCARD ALL drops it with the plans.
/// </summary>
public sealed class ConnectionResetTests
{
    [Fact]
    public async Task The_logs_connections_keep_their_session_when_pooled()
    {
        await using var dataSource = MartenEventLog.CreateDataSource(await TestPostgres.ConnectionStringAsync(), "public");

        Assert.True(await SessionSurvivesThePoolAsync(dataSource));
    }

    [Fact]
    public async Task Connections_shared_with_marten_and_wolverine_are_reset_when_pooled()
    {
        await using var dataSource = MartenEventLog.CreateDataSource(await TestPostgres.ConnectionStringAsync(), "public", sharedWithLibraries: true);

        Assert.False(await SessionSurvivesThePoolAsync(dataSource));
    }

    private static async Task<bool> SessionSurvivesThePoolAsync(NpgsqlDataSource dataSource)
    {
        var name = $"survives_{Guid.NewGuid():N}";
        int firstBackend;
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            firstBackend = connection.ProcessID;
            await using var prepare = new NpgsqlCommand($"PREPARE {name} AS SELECT 1", connection);
            await prepare.ExecuteNonQueryAsync();
        }

        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // The same server session, handed out again by the pool: otherwise "lost" would prove nothing.
            Assert.Equal(firstBackend, connection.ProcessID);
            await using var check = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE name = @name", connection);
            check.Parameters.AddWithValue("name", name);
            return (long)(await check.ExecuteScalarAsync())! == 1;
        }
    }
}
