using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Tests.EventLog;

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
        await using var sut = await LogUnderTest.CreateAsync();
        var before = await sut.Log.AppendAsync("slow-1", ExpectedVersion.NoStream, [Given.Event()]);
        await using var follower = new LogFollower(sut.Log);
        await follower.CaughtUpTo(before.Position);

        // The slow writer appends to the stream it created and stays open.
        await using var slow = await OpenSlowAppendAsync(sut, "slow-1", ExpectedVersion.Exact(1));
        var slowPosition = slow.Position;

        var fast = await sut.Log.AppendAsync(Given.Stream(), ExpectedVersion.NoStream, [Given.Event()]);
        Assert.True(fast.Position > slowPosition);

        // The fast event is committed, but giving it now would move the follower past the slow one for good.
        await follower.ReadTwiceMore();
        Assert.DoesNotContain(follower.Seen, e => e.Position == fast.Position);
        Assert.Equal(before.Position, follower.Position);

        await slow.CommitAsync();
        await follower.CaughtUpTo(fast.Position);

        Assert.Equal([before.Position, slowPosition, fast.Position], follower.Seen.Select(e => e.Position));
        Assert.Equal("slow-1", follower.Seen[1].StreamId);
    }

    [Fact]
    public async Task A_rolled_back_position_is_skipped_once_its_transaction_is_over()
    {
        await using var sut = await LogUnderTest.CreateAsync();
        await using var follower = new LogFollower(sut.Log);

        var existing = await sut.Log.AppendAsync("doomed-1", ExpectedVersion.NoStream, [Given.Event()]);
        await follower.CaughtUpTo(existing.Position);
        var slow = await OpenSlowAppendAsync(sut, "doomed-1", ExpectedVersion.Exact(1));
        var burned = slow.Position;
        var after = await sut.Log.AppendAsync(Given.Stream(), ExpectedVersion.NoStream, [Given.Event()]);
        await follower.ReadTwiceMore();
        Assert.Equal([existing.Position], follower.Seen.Select(e => e.Position));

        await slow.DisposeAsync();
        await follower.CaughtUpTo(after.Position);

        Assert.Equal([existing.Position, after.Position], follower.Seen.Select(e => e.Position));
        Assert.True(burned < after.Position);
    }

    [Fact]
    public async Task Many_overlapping_slow_and_fast_writers_lose_nothing()
    {
        await using var sut = await LogUnderTest.CreateAsync();
        await using var follower = new LogFollower(sut.Log);
        var expected = new List<long>();

        for (var round = 0; round < 10; round++)
        {
            // Odd rounds hold an append to a stream that exists, even rounds one that creates its stream.
            var expectation = ExpectedVersion.NoStream;
            if (round % 2 == 1)
            {
                expected.Add((await sut.Log.AppendAsync($"slow-{round}", ExpectedVersion.NoStream, [Given.Event()])).Position);
                expectation = ExpectedVersion.Exact(1);
            }

            await using var slow = await OpenSlowAppendAsync(sut, $"slow-{round}", expectation);
            var fast = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => sut.Log.AppendAsync(Given.Stream(), ExpectedVersion.NoStream, [Given.Event()])));
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

        await follower.CaughtUpTo(expected.Max());
        Assert.Equal(expected.Order(), follower.Seen.Select(e => e.Position));
    }

    private static async Task<SlowAppend> OpenSlowAppendAsync(LogUnderTest sut, string streamId, ExpectedVersion expected)
    {
        var unitOfWork = await sut.Log.BeginUnitOfWorkAsync();
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
