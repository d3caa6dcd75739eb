using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Testing;
using Npgsql;

namespace FrontDoor.EventStore.Tests.Backends;

/// <summary>
/// The event log on Marten. Each store under test gets its own schema in the throwaway server that ops/postgres.sh runs; the server is
/// started on first use when the test command has not already done so.
/// </summary>
public sealed class MartenBackend : IStoreBackend
{
    public string Name => "marten";

    public async Task<IStoreUnderTest> CreateAsync()
    {
        var connectionString = await TestPostgres.ConnectionStringAsync();
        var schema = TestPostgres.NewSchema();
        return await Instance.OpenAsync(connectionString, schema, dropOnDispose: true);
    }

    public sealed class Instance : IStoreUnderTest
    {
        private readonly string _connectionString;
        private readonly string _schema;
        private bool _dropOnDispose;

        private Instance(MartenEventLog store, string connectionString, string schema, bool dropOnDispose)
        {
            Log = store;
            _connectionString = connectionString;
            _schema = schema;
            _dropOnDispose = dropOnDispose;
        }

        public MartenEventLog Log { get; }

        public IEventStore Store => Log;

        public Task<IStoreUnitOfWork> BeginUnitOfWorkAsync() => Log.BeginUnitOfWorkAsync();

        public bool SupportsSecondNode => true;

        public string ConnectionString => _connectionString;

        public string Schema => _schema;

        public static async Task<Instance> OpenAsync(string connectionString, string schema, bool dropOnDispose)
        {
            var store = await MartenEventLog.OpenAsync(new EventLogOptions
            {
                ConnectionString = connectionString,
                Schema = schema,
                EventTypes = Given.EventTypes,
            });
            return new Instance(store, connectionString, schema, dropOnDispose);
        }

        public async Task<IStoreUnderTest> OpenSecondNodeAsync() => await OpenAsync(_connectionString, _schema, dropOnDispose: false);

        public async Task<IStoreUnderTest> RestartAsync()
        {
            var owner = _dropOnDispose;
            _dropOnDispose = false;
            await Log.DisposeAsync();
            return await OpenAsync(_connectionString, _schema, owner);
        }

        public async ValueTask DisposeAsync()
        {
            await Log.DisposeAsync();
            if (_dropOnDispose)
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }
}
