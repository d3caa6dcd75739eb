namespace FrontDoor.EventStore.Tests.Backends;

/// <summary>One store under test: the log, its units of work, and a way to open it again elsewhere.</summary>
public interface IStoreUnderTest : IAsyncDisposable
{
    IEventStore Store { get; }

    /// <summary>One transaction over the log: appends to several streams that commit together or not at all.</summary>
    Task<IStoreUnitOfWork> BeginUnitOfWorkAsync();

    /// <summary>True when a second process may share the store.</summary>
    bool SupportsSecondNode { get; }

    /// <summary>Another instance on the same data, as a second node would open it.</summary>
    Task<IStoreUnderTest> OpenSecondNodeAsync();

    /// <summary>Closes this instance and opens the same data again, as a restarted process would.</summary>
    Task<IStoreUnderTest> RestartAsync();
}

public interface IStoreBackend
{
    string Name { get; }

    Task<IStoreUnderTest> CreateAsync();
}

/// <summary>Every backend the conformance suite runs against: a new backend joins the whole suite by being listed here.</summary>
public static class StoreBackends
{
    private static readonly IStoreBackend[] All = [new MartenBackend()];

    public static TheoryData<string> Names => new(All.Select(b => b.Name));

    public static Task<IStoreUnderTest> CreateAsync(string name) => All.Single(b => b.Name == name).CreateAsync();
}
