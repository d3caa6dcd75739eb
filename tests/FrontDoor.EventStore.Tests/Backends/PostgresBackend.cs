using FrontDoor.EventStore.Postgres;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Testing;
using Npgsql;

namespace FrontDoor.EventStore.Tests.Backends;

/// <summary>
/// Each store under test gets its own schema in the throwaway server that ops/postgres.sh runs; the server is
/// started on first use when the test command has not already done so.
/// </summary>
public sealed class PostgresBackend : IStoreBackend
{
    public string Name => "postgres";

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

        private Instance(PostgresEventStore store, string connectionString, string schema, bool dropOnDispose)
        {
            PostgresStore = store;
            _connectionString = connectionString;
            _schema = schema;
            _dropOnDispose = dropOnDispose;
        }

        public PostgresEventStore PostgresStore { get; }

        public IEventStore Store => PostgresStore;

        public ISubscriptionStore Subscriptions => PostgresStore;

        public bool SupportsSecondNode => true;

        public string ConnectionString => _connectionString;

        public string Schema => _schema;

        public static async Task<Instance> OpenAsync(string connectionString, string schema, bool dropOnDispose)
        {
            var store = await PostgresEventStore.OpenAsync(new PostgresStoreOptions
            {
                ConnectionString = connectionString,
                Schema = schema,
                LeaseKeepAliveInterval = TimeSpan.FromMilliseconds(200),
            });
            return new Instance(store, connectionString, schema, dropOnDispose);
        }

        public async Task<IStoreUnderTest> OpenSecondNodeAsync() => await OpenAsync(_connectionString, _schema, dropOnDispose: false);

        public async Task<IStoreUnderTest> RestartAsync()
        {
            var owner = _dropOnDispose;
            _dropOnDispose = false;
            await PostgresStore.DisposeAsync();
            return await OpenAsync(_connectionString, _schema, owner);
        }

        public async ValueTask DisposeAsync()
        {
            await PostgresStore.DisposeAsync();
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
