using FrontDoor.EventStore.Subscriptions;
using FrontDoor.EventStore.Tests.Backends;

namespace FrontDoor.EventStore.Tests;

/// <summary>
/// PostgreSQL draws positions before commit, so positions can commit out of order. These tests hold a transaction
/// open on a low position while a later append commits, which is exactly what a busy server does by chance. The held
/// append goes the way every append goes (the log's own append inside a unit of work), and mostly onto a stream that
/// already exists: there Marten's quick append draws its position before it writes anything, which is the case the
/// log's reader must still never step over.
/// </summary>
public sealed class GapTests
{
    [Fact]
    public async Task A_slow_transaction_that_commits_a_lower_position_late_is_still_delivered()
    {
        await using var sut = (MartenBackend.Instance)await new MartenBackend().CreateAsync();
        var before = await sut.Store.AppendAsync("slow-1", ExpectedVersion.NoStream, [Given.Event()]);
        var handler = new RecordingHandler();
        await using var subscription = new RunningSubscription("gaps", handler, sut.Store, sut.Subscriptions);
        await subscription.CaughtUpTo(before.Position);

        // The slow writer appends to the stream it created and stays open.
        await using var slow = await OpenSlowAppendAsync(sut, "slow-1", ExpectedVersion.Exact(1));
        var slowPosition = slow.Position;

        var fast = await sut.Store.AppendAsync(Given.Stream(), ExpectedVersion.NoStream, [Given.Event()]);
        Assert.True(fast.Position > slowPosition);

        // The fast event is committed, but delivering it now would move the checkpoint past the slow one.
        await Task.Delay(600);
        Assert.DoesNotContain(handler.Seen, e => e.Position == fast.Position);
        Assert.Equal(before.Position, await sut.Subscriptions.LoadCheckpointAsync("gaps"));

        await slow.CommitAsync();
        await subscription.CaughtUpTo(fast.Position);

        Assert.Equal([before.Position, slowPosition, fast.Position], handler.Seen.Select(e => e.Position));
        Assert.Equal("slow-1", handler.Seen[1].StreamId);
    }

    [Fact]
    public async Task A_rolled_back_position_is_skipped_once_its_transaction_is_over()
    {
        await using var sut = (MartenBackend.Instance)await new MartenBackend().CreateAsync();
        var handler = new RecordingHandler();
        await using var subscription = new RunningSubscription("holes", handler, sut.Store, sut.Subscriptions);

        var existing = await sut.Store.AppendAsync("doomed-1", ExpectedVersion.NoStream, [Given.Event()]);
        await subscription.CaughtUpTo(existing.Position);
        var slow = await OpenSlowAppendAsync(sut, "doomed-1", ExpectedVersion.Exact(1));
        var burned = slow.Position;
        var after = await sut.Store.AppendAsync(Given.Stream(), ExpectedVersion.NoStream, [Given.Event()]);
        await Task.Delay(300);
        Assert.Equal([existing.Position], handler.Seen.Select(e => e.Position));

        await slow.DisposeAsync();
        await subscription.CaughtUpTo(after.Position);

        Assert.Equal([existing.Position, after.Position], handler.Seen.Select(e => e.Position));
        Assert.True(burned < after.Position);
    }

    [Fact]
    public async Task Many_overlapping_slow_and_fast_writers_lose_nothing()
    {
        await using var sut = (MartenBackend.Instance)await new MartenBackend().CreateAsync();
        var handler = new RecordingHandler();
        await using var subscription = new RunningSubscription("overlap", handler, sut.Store, sut.Subscriptions);
        var expected = new List<long>();

        for (var round = 0; round < 10; round++)
        {
            // Odd rounds hold an append to a stream that exists, even rounds one that creates its stream.
            var expectation = ExpectedVersion.NoStream;
            if (round % 2 == 1)
            {
                expected.Add((await sut.Store.AppendAsync($"slow-{round}", ExpectedVersion.NoStream, [Given.Event()])).Position);
                expectation = ExpectedVersion.Exact(1);
            }

            await using var slow = await OpenSlowAppendAsync(sut, $"slow-{round}", expectation);
            var fast = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => sut.Store.AppendAsync(Given.Stream(), ExpectedVersion.NoStream, [Given.Event()])));
            if (round % 3 == 0)
            {
                await slow.DisposeAsync();
            }
            else
            {
                await slow.CommitAsync();
                expected.Add(slow.Position);
            }

            expected.AddRange(fast.Select(f => f.Position));
        }

        await subscription.CaughtUpTo(expected.Max());
        Assert.Equal(expected.Order(), handler.Seen.Select(e => e.Position));
    }

    private static async Task<SlowAppend> OpenSlowAppendAsync(MartenBackend.Instance sut, string streamId, ExpectedVersion expected)
    {
        var unitOfWork = await sut.Subscriptions.BeginUnitOfWorkAsync();
        var appended = await unitOfWork.AppendAsync(streamId, expected, [Given.Event()]);
        return new SlowAppend(unitOfWork, appended.Position);
    }

    private sealed class SlowAppend(IStoreUnitOfWork unitOfWork, long position) : IAsyncDisposable
    {
        private bool _done;

        public long Position => position;

        public async Task CommitAsync()
        {
            await unitOfWork.CommitAsync();
            _done = true;
            await unitOfWork.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_done)
            {
                // Disposed without a commit: the transaction, and the position it drew, roll back.
                _done = true;
                await unitOfWork.DisposeAsync();
            }
        }
    }
}
