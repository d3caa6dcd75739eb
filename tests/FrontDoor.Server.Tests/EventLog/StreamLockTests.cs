using FrontDoor.Server.Infrastructure.Store;
using Npgsql;

namespace FrontDoor.Server.Tests.EventLog;

/// <summary>
/// Two reactions that write one stream at once: with the stream locked before it is read, the second waits for the
/// first to commit and decides on what the first wrote, instead of deciding on the same version and being refused.
/// </summary>
public sealed class StreamLockTests
{
    [Fact]
    public async Task Bug_18_a_unit_of_work_that_locks_a_stream_reads_it_after_the_writer_holding_it_commits()
    {
        await using var sut = await LogUnderTest.CreateAsync();
        var stream = Given.Stream();
        await sut.Log.AppendAsync(stream, ExpectedVersion.NoStream, [Given.Event()]);

        Task<AppendResult> second;
        var first = await sut.Log.BeginUnitOfWorkAsync();
        await using (first)
        {
            await first.LockStreamAsync(stream);
            await first.AppendAsync(stream, ExpectedVersion.Exact(1), [Given.Event()]);

            second = Task.Run(async () =>
            {
                var unitOfWork = await sut.Log.BeginUnitOfWorkAsync();
                await using (unitOfWork)
                {
                    await unitOfWork.LockStreamAsync(stream);
                    var read = await unitOfWork.ReadStreamAsync(stream);
                    var appended = await unitOfWork.AppendAsync(stream, ExpectedVersion.Exact(read.Count), [Given.Event()]);
                    await unitOfWork.CommitAsync();
                    return appended;
                }
            });

            // The second is queued behind the first's lock before the first commits.
            await WaitForAWaitingLockAsync(sut, second);
            await first.CommitAsync();
        }

        var result = await second;
        Assert.Equal(3, result.StreamVersion);
        Assert.Equal(3, await sut.Log.ReadStreamVersionAsync(stream));
    }

    private static async Task WaitForAWaitingLockAsync(LogUnderTest sut, Task second)
    {
        await using var connection = new NpgsqlConnection(sut.ConnectionString);
        await connection.OpenAsync();
        for (var attempt = 0; attempt < 200 && !second.IsCompleted; attempt++)
        {
            // Only this test's schema: other tests share the server.
            await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND strpos(query, @schema) > 0", connection);
            waiting.Parameters.AddWithValue("schema", sut.Schema + ".");
            if ((long)(await waiting.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail(second.IsCompleted ? $"The second unit of work finished while the first still held the stream: {second.Exception}" : "The second unit of work never waited for the stream's lock.");
    }
}
