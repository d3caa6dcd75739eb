using System.Collections.Concurrent;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FrontDoor.EventStore.Tests;

internal static class Given
{
    /// <summary>The stored names of the events these tests append, each with the type it is written from.</summary>
    public static IReadOnlyDictionary<string, Type> EventTypes { get; } = new Dictionary<string, Type>
    {
        ["thing-happened.v1"] = typeof(ThingHappened),
        ["derived.v1"] = typeof(ThingDerived),
    };

    public static EventData Event(string type = "thing-happened.v1", int value = 0) =>
        new(Guid.NewGuid(), type == "derived.v1" ? new ThingDerived(value) : new ThingHappened(value), type, $$"""{"value":{{value}}}""", new EventMetadata("corr-1", "cause-1", "tester"));

    public static EventData[] Events(int count, string type = "thing-happened.v1") =>
        Enumerable.Range(1, count).Select(i => Event(type, i)).ToArray();

    public static async Task<List<RecordedEvent>> EverythingAsync(IEventStore store) =>
        await store.ReadAllUpToAsync(long.MaxValue).ToListAsync();

    public static string Stream(string category = "thing") => StreamName.For(category, Guid.NewGuid());

    public static SubscriptionOptions FastOptions => new()
    {
        BatchSize = 100,
        PollInterval = TimeSpan.FromMilliseconds(200),
        LeaseRetryInterval = TimeSpan.FromMilliseconds(100),
        MaxAttempts = 3,
        FirstRetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        HousekeepingInterval = TimeSpan.FromMilliseconds(100),
    };
}

public sealed record ThingHappened(int Value);

public sealed record ThingDerived(int Value);

/// <summary>Records what it is handed; can be told to fail on chosen events.</summary>
internal sealed class RecordingHandler : ISubscriptionHandler
{
    private readonly ConcurrentQueue<RecordedEvent> _seen = new();

    public Func<RecordedEvent, bool> FailWhen { get; set; } = _ => false;

    public Func<RecordedEvent, SubscriptionContext, Task>? OnEvent { get; set; }

    public IReadOnlyList<RecordedEvent> Seen => _seen.ToArray();

    public int Attempts;

    public async ValueTask HandleAsync(RecordedEvent recordedEvent, SubscriptionContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Attempts);
        if (FailWhen(recordedEvent))
        {
            throw new InvalidOperationException($"cannot handle {recordedEvent.Position}");
        }

        if (OnEvent is not null)
        {
            await OnEvent(recordedEvent, context);
        }

        _seen.Enqueue(recordedEvent);
    }
}

/// <summary>A subscription running in the background for the length of a test.</summary>
internal sealed class RunningSubscription : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public RunningSubscription(string name, ISubscriptionHandler handler, IEventStore store, ISubscriptionStore subscriptions, SubscriptionOptions? options = null)
    {
        Monitor = new SubscriptionMonitor();
        Runner = new SubscriptionRunner(name, handler, store, subscriptions, Monitor, NullLogger.Instance, options ?? Given.FastOptions);
        _running = Task.Run(() => Runner.RunAsync(_stop.Token));
    }

    public SubscriptionMonitor Monitor { get; }

    public SubscriptionRunner Runner { get; }

    public SubscriptionStatus Status => Monitor.Get(Runner.Name)!;

    public Task CaughtUpTo(long position, int seconds = 30) =>
        Monitor.WaitForCheckpointAsync(position, TimeSpan.FromSeconds(seconds));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}
