using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Tests.EventLog;

public sealed class ReadAllTests
{
    [Fact]
    public async Task Reading_all_pages_through_every_stream_in_position_order()
    {
        await using var sut = await LogUnderTest.CreateAsync();
        var appended = new List<Guid>();
        var streams = Enumerable.Range(0, 4).Select(_ => Given.Stream()).ToArray();
        for (var round = 0; round < 5; round++)
        {
            foreach (var stream in streams)
            {
                var events = Given.Events(round % 2 + 1);
                await sut.Log.AppendAsync(stream, ExpectedVersion.Any, events);
                appended.AddRange(events.Select(e => e.EventId));
            }
        }

        var read = new List<RecordedEvent>();
        long after = 0;
        while (true)
        {
            var page = await sut.Log.ReadAllAsync(after, 7);
            if (page.Count == 0)
            {
                break;
            }

            Assert.True(page.Count <= 7);
            read.AddRange(page);
            after = page[^1].Position;
        }

        Assert.Equal(appended, read.Select(e => e.EventId));
        Assert.True(read.Zip(read.Skip(1)).All(pair => pair.First.Position < pair.Second.Position));
        Assert.Equal(read[^1].Position, await sut.Log.ReadHeadPositionAsync());

        var fromMiddle = await sut.Log.ReadAllAsync(read[9].Position, 1000);
        Assert.Equal(read.Skip(10).Select(e => e.EventId), fromMiddle.Select(e => e.EventId));
    }

    [Fact]
    public async Task An_empty_log_reads_as_empty()
    {
        await using var sut = await LogUnderTest.CreateAsync();

        Assert.Empty(await sut.Log.ReadAllAsync(0, 10));
        Assert.Equal(0, await sut.Log.ReadHeadPositionAsync());
        Assert.Empty(await sut.Log.ReadStreamAsync(Given.Stream()));
        Assert.Equal(0, await sut.Log.ReadStreamVersionAsync(Given.Stream()));
    }
}
