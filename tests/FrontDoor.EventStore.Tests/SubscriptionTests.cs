using System.Collections.Concurrent;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.EventStore.Tests.Backends;

using FrontDoor.Testing;

namespace FrontDoor.EventStore.Tests;

public sealed class SubscriptionTests
{
    public static TheoryData<string> Backends => StoreBackends.Names;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Ten_thousand_racing_appends_are_each_delivered_once_in_position_order(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var handler = new RecordingHandler();
        await using var subscription = new RunningSubscription("racing", handler, sut.Store, sut.Subscriptions);
        var appended = new ConcurrentBag<Guid>();

        // Eight writers, 1,250 appends each, spread over streams they share, some appends with several events.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            var streams = Enumerable.Range(0, 5).Select(i => $"race-{writer % 2}x{i}").ToArray();
            var sent = 0;
            var round = 0;
            while (sent < 1250)
            {
                var events = Given.Events(Math.Min(1250 - sent, round % 4 == 0 ? 3 : 1));
                await sut.Store.AppendAsync(streams[round % streams.Length], ExpectedVersion.Any, events);
                foreach (var e in events)
                {
                    appended.Add(e.EventId);
                }

                sent += events.Length;
                round++;
            }
        })));

        var head = await sut.Store.ReadHeadPositionAsync();
        await subscription.CaughtUpTo(head, seconds: 60);

        var seen = handler.Seen;
        Assert.Equal(10_000, appended.Count);
        Assert.Equal(10_000, seen.Count);
        Assert.Equal(appended.ToHashSet(), seen.Select(e => e.EventId).ToHashSet());
        Assert.True(seen.Zip(seen.Skip(1)).All(pair => pair.First.Position < pair.Second.Position), "positions must strictly rise");
        Assert.Equal(0, subscription.Status.Lag);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_restarted_process_resumes_from_its_checkpoint(string backend)
    {
        var sut = await StoreBackends.CreateAsync(backend);
        var stream = Given.Stream();
        var first = new RecordingHandler();
        await using (var subscription = new RunningSubscription("resume", first, sut.Store, sut.Subscriptions))
        {
            var result = await sut.Store.AppendAsync(stream, ExpectedVersion.NoStream, Given.Events(10));
            await subscription.CaughtUpTo(result.Position);
        }

        sut = await sut.RestartAsync();
        await using (sut)
        {
            Assert.Equal(first.Seen[^1].Position, await sut.Subscriptions.LoadCheckpointAsync("resume"));
            var later = await sut.Store.AppendAsync(stream, ExpectedVersion.Exact(10), Given.Events(5));

            var second = new RecordingHandler();
            await using var subscription = new RunningSubscription("resume", second, sut.Store, sut.Subscriptions);
            await subscription.CaughtUpTo(later.Position);

            Assert.Equal(10, first.Seen.Count);
            Assert.Equal([11L, 12L, 13L, 14L, 15L], second.Seen.Select(e => e.StreamVersion));
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_failing_event_is_retried_then_parked_and_replayed_after_a_fix(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var stream = Given.Stream();
        var events = Given.Events(5);
        var poison = events[2].EventId;
        var handler = new RecordingHandler { FailWhen = e => e.EventId == poison };
        await using var subscription = new RunningSubscription("parking", handler, sut.Store, sut.Subscriptions);

        var result = await sut.Store.AppendAsync(stream, ExpectedVersion.NoStream, events);
        await subscription.CaughtUpTo(result.Position);

        // Every other event flowed past the poison one.
        Assert.Equal(events.Where(e => e.EventId != poison).Select(e => e.EventId), handler.Seen.Select(e => e.EventId).Distinct());
        var parked = Assert.Single(await sut.Subscriptions.ListParkedAsync("parking"));
        Assert.Equal(poison, parked.EventId);
        Assert.Equal(3, parked.Attempts);
        Assert.Contains("cannot handle", parked.Error, StringComparison.Ordinal);
        Assert.Equal(stream, parked.StreamId);
        await Eventually.True(() => subscription.Status.ParkedEvents == 1, "the monitor counts the parked event");

        handler.FailWhen = _ => false;
        Assert.Equal(1, await sut.Subscriptions.RequestReplayAsync("parking"));
        await Eventually.True(async () => (await sut.Subscriptions.ListParkedAsync("parking")).Count == 0, "the parked event is replayed");

        Assert.Equal(poison, handler.Seen[^1].EventId);
        var resolved = Assert.Single(await sut.Subscriptions.ListParkedAsync("parking", includeResolved: true));
        Assert.NotNull(resolved.ResolvedAt);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Writes_through_the_unit_of_work_commit_with_the_checkpoint_or_not_at_all(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var source = Given.Stream("source");
        var failuresLeft = 1;
        var handler = new RecordingHandler
        {
            OnEvent = async (e, context) =>
            {
                if (!e.StreamId.StartsWith("source-", StringComparison.Ordinal))
                {
                    return;
                }

                // A derived event whose id is new on every attempt: only the transaction keeps it single.
                await context.UnitOfWork.AppendAsync($"derived-{e.EventId:N}", ExpectedVersion.Any, [Given.Event("derived.v1")]);

                // The unit of work reads its own uncommitted writes, so a handler decides on what it already did.
                Assert.Single(await context.UnitOfWork.ReadStreamAsync($"derived-{e.EventId:N}"));
                if (Interlocked.Decrement(ref failuresLeft) >= 0)
                {
                    throw new InvalidOperationException("crash after writing, before the checkpoint");
                }
            },
        };
        await using var subscription = new RunningSubscription("derive", handler, sut.Store, sut.Subscriptions);

        var result = await sut.Store.AppendAsync(source, ExpectedVersion.NoStream, Given.Events(3));
        await subscription.CaughtUpTo(result.Position);
        var head = await sut.Store.ReadHeadPositionAsync();
        await subscription.CaughtUpTo(head);

        var all = await Given.EverythingAsync(sut.Store);
        Assert.Equal(3, all.Count(e => e.Type == "derived.v1"));
        foreach (var e in all.Where(e => e.StreamId == source))
        {
            Assert.Single(await sut.Store.ReadStreamAsync($"derived-{e.EventId:N}"));
        }

        Assert.Empty(await sut.Subscriptions.ListParkedAsync("derive"));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Only_one_runner_is_active_and_another_takes_over_when_it_stops(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var secondNode = sut.SupportsSecondNode ? await sut.OpenSecondNodeAsync() : sut;
        try
        {
            var stream = Given.Stream();
            var handled = new ConcurrentDictionary<Guid, int>();
            var first = new RecordingHandler { OnEvent = (e, _) => Count(handled, e) };
            var second = new RecordingHandler { OnEvent = (e, _) => Count(handled, e) };

            var one = new RunningSubscription("single", first, sut.Store, sut.Subscriptions);
            await Eventually.True(() => one.Status.IsActive, "the first runner owns the subscription");
            await using var two = new RunningSubscription("single", second, secondNode.Store, secondNode.Subscriptions);

            var firstBatch = await sut.Store.AppendAsync(stream, ExpectedVersion.NoStream, Given.Events(20));
            await one.CaughtUpTo(firstBatch.Position);
            await Task.Delay(300);
            Assert.Equal(20, first.Seen.Count);
            Assert.Empty(second.Seen);
            Assert.Equal(SubscriptionState.Standby, two.Status.State);

            await one.DisposeAsync();
            var secondBatch = await secondNode.Store.AppendAsync(stream, ExpectedVersion.Exact(20), Given.Events(20));
            await two.CaughtUpTo(secondBatch.Position);

            Assert.Equal(20, first.Seen.Count);
            Assert.Equal(Enumerable.Range(21, 20).Select(v => (long)v), second.Seen.Select(e => e.StreamVersion));
            Assert.All(handled.Values, count => Assert.Equal(1, count));
            Assert.Equal(40, handled.Count);
        }
        finally
        {
            if (!ReferenceEquals(secondNode, sut))
            {
                await secondNode.DisposeAsync();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Lag_is_the_distance_from_the_checkpoint_to_the_head(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var gate = new SemaphoreSlim(0);
        var handler = new RecordingHandler { OnEvent = async (_, _) => await gate.WaitAsync() };
        var stream = Given.Stream();
        var result = await sut.Store.AppendAsync(stream, ExpectedVersion.NoStream, Given.Events(5));
        await using var subscription = new RunningSubscription("lagging", handler, sut.Store, sut.Subscriptions, Given.FastOptions with { BatchSize = 1 });

        await Eventually.True(() => subscription.Status.Lag == 5, "lag shows five waiting events");
        gate.Release(5);
        await subscription.CaughtUpTo(result.Position);
        Assert.Equal(0, subscription.Status.Lag);
        var checkpoints = await sut.Subscriptions.ListCheckpointsAsync();
        Assert.Equal(result.Position, Assert.Single(checkpoints, c => c.Subscription == "lagging").Position);
    }

    private static Task Count(ConcurrentDictionary<Guid, int> handled, RecordedEvent e)
    {
        handled.AddOrUpdate(e.EventId, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
