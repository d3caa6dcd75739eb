using System.Collections.Concurrent;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests.EventLog;

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

    public static async Task<List<RecordedEvent>> EverythingAsync(IEventLog store) =>
        await store.ReadAllUpToAsync(long.MaxValue).ToListAsync();

    public static string Stream(string category = "thing") => StreamName.For(category, Guid.NewGuid());
}

public sealed record ThingHappened(int Value);

public sealed record ThingDerived(int Value);

/// <summary>
/// Follows the log for the length of a test as a node's reader does: page after page from where it got to, through
/// the log's gap-safe <see cref="IEventLog.ReadAllAsync"/>, recording every event it is given.
/// </summary>
internal sealed class LogFollower : IAsyncDisposable
{
    private readonly IEventLog _store;
    private readonly ConcurrentQueue<RecordedEvent> _seen = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private long _position;
    private long _reads;

    public LogFollower(IEventLog store)
    {
        _store = store;
        _running = Task.Run(() => FollowAsync(_stop.Token));
    }

    public IReadOnlyList<RecordedEvent> Seen => _seen.ToArray();

    /// <summary>The position of the last event given: everything up to it has been delivered.</summary>
    public long Position => Interlocked.Read(ref _position);

    public Task CaughtUpTo(long position, int seconds = 30) =>
        Eventually.True(() => Task.FromResult(Position >= position), $"the follower at position {position}", seconds);

    /// <summary>
    /// Completes once the follower has finished two more reads of the log: the second began after this was called, so
    /// it saw everything committed by then. What the follower has not been given by that point it was withheld.
    /// </summary>
    public Task ReadTwiceMore(int seconds = 30)
    {
        var from = Interlocked.Read(ref _reads);
        return Eventually.True(() => Task.FromResult(Interlocked.Read(ref _reads) >= from + 2), "two more reads by the follower", seconds);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var waiter = _store.Appended.Waiter;
            var page = await _store.ReadAllAsync(Position, 100, cancellationToken);
            foreach (var recorded in page)
            {
                _seen.Enqueue(recorded);
                Interlocked.Exchange(ref _position, recorded.Position);
            }

            // Counted once what the read gave is recorded, so a waiter on reads sees it.
            Interlocked.Increment(ref _reads);

            if (page.Count == 0)
            {
                await AppendSignal.WaitAsync(waiter, TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }
}
