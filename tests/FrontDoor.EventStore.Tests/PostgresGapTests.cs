using FrontDoor.EventStore.Tests.Backends;
using Npgsql;

namespace FrontDoor.EventStore.Tests;

/// <summary>
/// PostgreSQL draws positions before commit, so positions can commit out of order. These tests hold a transaction
/// open on a low position while a later append commits, which is exactly what a busy server does by chance.
/// </summary>
public sealed class PostgresGapTests
{
    [Fact]
    public async Task A_slow_transaction_that_commits_a_lower_position_late_is_still_delivered()
    {
        await using var sut = (PostgresBackend.Instance)await new PostgresBackend().CreateAsync();
        var before = await sut.Store.AppendAsync(Given.Stream(), ExpectedVersion.NoStream, [Given.Event()]);
        var handler = new RecordingHandler();
        await using var subscription = new RunningSubscription("gaps", handler, sut.Store, sut.Subscriptions);
        await subscription.CaughtUpTo(before.Position);

        // The slow writer appends the way the store does (stream row first, then the event) and stays open.
        await using var slow = await OpenSlowAppendAsync(sut, "slow-1");
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
        await using var sut = (PostgresBackend.Instance)await new PostgresBackend().CreateAsync();
        var handler = new RecordingHandler();
        await using var subscription = new RunningSubscription("holes", handler, sut.Store, sut.Subscriptions);

        var slow = await OpenSlowAppendAsync(sut, "doomed-1");
        var burned = slow.Position;
        var after = await sut.Store.AppendAsync(Given.Stream(), ExpectedVersion.NoStream, [Given.Event()]);
        await Task.Delay(300);
        Assert.Empty(handler.Seen);

        await slow.DisposeAsync();
        await subscription.CaughtUpTo(after.Position);

        Assert.Equal([after.Position], handler.Seen.Select(e => e.Position));
        Assert.True(burned < after.Position);
    }

    [Fact]
    public async Task Many_overlapping_slow_and_fast_writers_lose_nothing()
    {
        await using var sut = (PostgresBackend.Instance)await new PostgresBackend().CreateAsync();
        var handler = new RecordingHandler();
        await using var subscription = new RunningSubscription("overlap", handler, sut.Store, sut.Subscriptions);
        var expected = new List<long>();

        for (var round = 0; round < 10; round++)
        {
            await using var slow = await OpenSlowAppendAsync(sut, $"slow-{round}");
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

    private static async Task<SlowAppend> OpenSlowAppendAsync(PostgresBackend.Instance sut, string streamId)
    {
        var connection = new NpgsqlConnection(sut.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(
            $$"""
            INSERT INTO {{sut.Schema}}.streams (stream_id, version, created_at, updated_at) VALUES (@stream, 1, now(), now());
            INSERT INTO {{sut.Schema}}.events (stream_id, stream_version, event_id, event_type, data, metadata, created_at)
            VALUES (@stream, 1, @id, 'thing-happened.v1', '{}', '{}', now())
            RETURNING position;
            """,
            connection,
            transaction);
        command.Parameters.AddWithValue("stream", streamId);
        command.Parameters.AddWithValue("id", Guid.NewGuid());
        var position = (long)(await command.ExecuteScalarAsync())!;
        return new SlowAppend(connection, transaction, position);
    }

    private sealed class SlowAppend(NpgsqlConnection connection, NpgsqlTransaction transaction, long position) : IAsyncDisposable
    {
        private bool _done;

        public long Position => position;

        public async Task CommitAsync()
        {
            await transaction.CommitAsync();
            _done = true;
            await connection.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_done)
            {
                _done = true;
                await transaction.RollbackAsync();
                await connection.DisposeAsync();
            }
        }
    }
}
