using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Testing;
using Npgsql;

namespace FrontDoor.Server.Tests.EventLog;

/// <summary>
/// The event log on a schema of its own in the throwaway server that ops/postgres.sh runs (started on first use when
/// the test command has not already done so), dropped when the test is done.
/// </summary>
public sealed class LogUnderTest : IAsyncDisposable
{
    private LogUnderTest(MartenEventLog log, string connectionString, string schema)
    {
        Log = log;
        ConnectionString = connectionString;
        Schema = schema;
    }

    public MartenEventLog Log { get; }

    public string ConnectionString { get; }

    public string Schema { get; }

    public static async Task<LogUnderTest> CreateAsync()
    {
        var connectionString = await TestPostgres.ConnectionStringAsync();
        var schema = TestPostgres.NewSchema();
        var log = await MartenEventLog.OpenAsync(new EventLogOptions
        {
            ConnectionString = connectionString,
            Schema = schema,
            EventTypes = Given.EventTypes,
        });
        return new LogUnderTest(log, connectionString, schema);
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
