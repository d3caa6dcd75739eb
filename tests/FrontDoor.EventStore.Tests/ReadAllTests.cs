using FrontDoor.EventStore.Tests.Backends;

namespace FrontDoor.EventStore.Tests;

public sealed class ReadAllTests
{
    public static TheoryData<string> Backends => StoreBackends.Names;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Reading_all_pages_through_every_stream_in_position_order(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var appended = new List<Guid>();
        var streams = Enumerable.Range(0, 4).Select(_ => Given.Stream()).ToArray();
        for (var round = 0; round < 5; round++)
        {
            foreach (var stream in streams)
            {
                var events = Given.Events(round % 2 + 1);
                await sut.Store.AppendAsync(stream, ExpectedVersion.Any, events);
                appended.AddRange(events.Select(e => e.EventId));
            }
        }

        var read = new List<RecordedEvent>();
        long after = 0;
        while (true)
        {
            var page = await sut.Store.ReadAllAsync(after, 7);
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
        Assert.Equal(read[^1].Position, await sut.Store.ReadHeadPositionAsync());

        var fromMiddle = await sut.Store.ReadAllAsync(read[9].Position, 1000);
        Assert.Equal(read.Skip(10).Select(e => e.EventId), fromMiddle.Select(e => e.EventId));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_empty_log_reads_as_empty(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);

        Assert.Empty(await sut.Store.ReadAllAsync(0, 10));
        Assert.Equal(0, await sut.Store.ReadHeadPositionAsync());
        Assert.Empty(await sut.Store.ReadStreamAsync(Given.Stream()));
        Assert.Equal(0, await sut.Store.ReadStreamVersionAsync(Given.Stream()));
    }
}
