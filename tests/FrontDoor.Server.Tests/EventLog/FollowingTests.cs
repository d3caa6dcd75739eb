using System.Collections.Concurrent;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Tests.EventLog;

/// <summary>The log as its readers and writers meet it: every event given once in rising order, units of work whole or not at all.</summary>
public sealed class FollowingTests
{
    [Fact]
    public async Task Ten_thousand_racing_appends_are_each_given_once_in_position_order()
    {
        await using var sut = await LogUnderTest.CreateAsync();
        await using var follower = new LogFollower(sut.Log);
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
                await sut.Log.AppendAsync(streams[round % streams.Length], ExpectedVersion.Any, events);
                foreach (var e in events)
                {
                    appended.Add(e.EventId);
                }

                sent += events.Length;
                round++;
            }
        })));

        var head = await sut.Log.ReadHeadPositionAsync();
        await follower.CaughtUpTo(head, seconds: 60);

        var seen = follower.Seen;
        Assert.Equal(10_000, appended.Count);
        Assert.Equal(10_000, seen.Count);
        Assert.Equal(appended.ToHashSet(), seen.Select(e => e.EventId).ToHashSet());
        Assert.True(seen.Zip(seen.Skip(1)).All(pair => pair.First.Position < pair.Second.Position), "positions must strictly rise");
    }

    [Fact]
    public async Task Appends_through_a_unit_of_work_commit_together_or_not_at_all_and_it_reads_its_own()
    {
        await using var sut = await LogUnderTest.CreateAsync();
        var source = Given.Stream("source");
        var derived = Given.Stream("derived");

        // Abandoned after writing: neither stream holds anything.
        await using (var abandoned = await sut.Log.BeginUnitOfWorkAsync())
        {
            await abandoned.AppendAsync(source, ExpectedVersion.NoStream, Given.Events(2));
            await abandoned.AppendAsync(derived, ExpectedVersion.NoStream, [Given.Event("derived.v1")]);

            // A reaction decides on what it already did in the same transaction.
            Assert.Equal(2, (await abandoned.ReadStreamAsync(source)).Count);
            Assert.Single(await abandoned.ReadStreamAsync(derived));
        }

        Assert.Empty(await sut.Log.ReadStreamAsync(source));
        Assert.Empty(await sut.Log.ReadStreamAsync(derived));
        Assert.Equal(0, await sut.Log.ReadHeadPositionAsync());

        // Committed: both streams, in one go.
        await using (var committed = await sut.Log.BeginUnitOfWorkAsync())
        {
            await committed.AppendAsync(source, ExpectedVersion.NoStream, Given.Events(2));
            await committed.AppendAsync(derived, ExpectedVersion.NoStream, [Given.Event("derived.v1")]);
            await committed.CommitAsync();
        }

        Assert.Equal(2, (await sut.Log.ReadStreamAsync(source)).Count);
        Assert.Single(await sut.Log.ReadStreamAsync(derived));
        Assert.Equal(3, (await Given.EverythingAsync(sut.Log)).Count);
    }
}
