using FrontDoor.EventStore.Sqlite;
using FrontDoor.EventStore.Subscriptions;

namespace FrontDoor.EventStore.Tests.Backends;

public sealed class SqliteBackend : IStoreBackend
{
    public string Name => "sqlite";

    public Task<IStoreUnderTest> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "frontdoor-tests", Guid.NewGuid().ToString("N"));
        return Task.FromResult<IStoreUnderTest>(new Instance(Path.Combine(folder, "events.db"), ownsFolder: true));
    }

    private sealed class Instance : IStoreUnderTest
    {
        private readonly SqliteEventStore _store;
        private readonly string _path;
        private bool _ownsFolder;

        public Instance(string path, bool ownsFolder)
        {
            _path = path;
            _ownsFolder = ownsFolder;

            // NORMAL keeps the suite fast; durability under power loss is not what these tests are about.
            _store = SqliteEventStore.Open(new SqliteStoreOptions { Path = path, Synchronous = "NORMAL" });
        }

        public IEventStore Store => _store;

        public ISubscriptionStore Subscriptions => _store;

        public bool SupportsSecondNode => false;

        public Task<IStoreUnderTest> OpenSecondNodeAsync() => throw new NotSupportedException("SQLite is owned by one process.");

        public async Task<IStoreUnderTest> RestartAsync()
        {
            _ownsFolder = false;
            await _store.DisposeAsync();
            return new Instance(_path, ownsFolder: true);
        }

        public async ValueTask DisposeAsync()
        {
            await _store.DisposeAsync();
            if (_ownsFolder)
            {
                try
                {
                    Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
