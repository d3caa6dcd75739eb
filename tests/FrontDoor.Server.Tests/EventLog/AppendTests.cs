using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Tests.EventLog;

public sealed class AppendTests
{
    [Fact]
    public async Task Appended_events_read_back_in_order_with_everything_they_carry()
    {
        await using var sut = await LogUnderTest.CreateAsync();
        var stream = Given.Stream();
        var events = Given.Events(3);

        var result = await sut.Log.AppendAsync(stream, ExpectedVersion.NoStream, events);

        Assert.Equal(3, result.StreamVersion);
        var read = await sut.Log.ReadStreamAsync(stream);
        Assert.Equal([1L, 2L, 3L], read.Select(e => e.StreamVersion));
        Assert.Equal(events.Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.All(read, e => Assert.Equal(stream, e.StreamId));
        Assert.All(read, e => Assert.Equal("thing-happened.v1", e.Type));
        Assert.Equal("""{"value":2}""", read[1].Data.Replace(" ", string.Empty, StringComparison.Ordinal));
        // The trace parent is whatever span was listened to at the time: hosts in this process may be listening.
        Assert.Equal(new EventMetadata("corr-1", "cause-1", "tester"), read[0].Metadata with { TraceParent = null });
        Assert.All(read, e => Assert.True(DateTimeOffset.UtcNow - e.Timestamp < TimeSpan.FromMinutes(1)));
        Assert.Equal(result.Position, read[^1].Position);
        Assert.True(read[0].Position < read[1].Position && read[1].Position < read[2].Position);
        Assert.Equal(3, await sut.Log.ReadStreamVersionAsync(stream));
        Assert.Equal(2, (await sut.Log.ReadStreamAsync(stream, fromVersion: 2)).Count);
    }

    public static TheoryData<string, long, bool> ExpectedVersionCases()
    {
        var data = new TheoryData<string, long, bool>();

        // (expectation, existing events, succeeds?)
        data.Add("any", 0, true);
        data.Add("any", 2, true);
        data.Add("no-stream", 0, true);
        data.Add("no-stream", 2, false);
        data.Add("stream-exists", 0, false);
        data.Add("stream-exists", 2, true);
        data.Add("exact-0", 0, true);
        data.Add("exact-0", 2, false);
        data.Add("exact-2", 2, true);
        data.Add("exact-1", 2, false);
        data.Add("exact-3", 2, false);
        data.Add("exact-1", 0, false);

        return data;
    }

    [Theory]
    [MemberData(nameof(ExpectedVersionCases))]
    public async Task Expected_version_is_enforced(string expectation, long existing, bool succeeds)
    {
        await using var sut = await LogUnderTest.CreateAsync();
        var stream = Given.Stream();
        if (existing > 0)
        {
            await sut.Log.AppendAsync(stream, ExpectedVersion.NoStream, Given.Events((int)existing));
        }

        var expected = expectation switch
        {
            "any" => ExpectedVersion.Any,
            "no-stream" => ExpectedVersion.NoStream,
            "stream-exists" => ExpectedVersion.StreamExists,
            _ => ExpectedVersion.Exact(long.Parse(expectation["exact-".Length..], System.Globalization.CultureInfo.InvariantCulture)),
        };

        if (succeeds)
        {
            var result = await sut.Log.AppendAsync(stream, expected, [Given.Event()]);
            Assert.Equal(existing + 1, result.StreamVersion);
        }
        else
        {
            var error = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => sut.Log.AppendAsync(stream, expected, [Given.Event()]));
            Assert.Equal(stream, error.StreamId);
            Assert.Equal(expected, error.Expected);
            Assert.Equal(existing, error.ActualVersion);
            Assert.Contains(stream, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(existing + (succeeds ? 1 : 0), (await sut.Log.ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task Re_appending_the_same_events_is_a_retry_that_returns_the_original_result()
    {
        await using var sut = await LogUnderTest.CreateAsync();
        var stream = Given.Stream();
        var events = Given.Events(2);
        var first = await sut.Log.AppendAsync(stream, ExpectedVersion.NoStream, events);

        var sameExpectation = await sut.Log.AppendAsync(stream, ExpectedVersion.NoStream, events);
        var anyExpectation = await sut.Log.AppendAsync(stream, ExpectedVersion.Any, events);
        var exactExpectation = await sut.Log.AppendAsync(stream, ExpectedVersion.Exact(0), events);

        Assert.Equal(first, sameExpectation);
        Assert.Equal(first, anyExpectation);
        Assert.Equal(first, exactExpectation);
        Assert.Equal(2, (await sut.Log.ReadStreamAsync(stream)).Count);
        Assert.Equal(first.Position, await sut.Log.ReadHeadPositionAsync());
    }

    [Fact]
    public async Task An_append_that_repeats_only_some_events_is_refused_and_writes_nothing()
    {
        await using var sut = await LogUnderTest.CreateAsync();
        var stream = Given.Stream();
        var events = Given.Events(2);
        await sut.Log.AppendAsync(stream, ExpectedVersion.NoStream, events);

        await Assert.ThrowsAsync<PartialDuplicateAppendException>(
            () => sut.Log.AppendAsync(stream, ExpectedVersion.Any, [events[1], Given.Event()]));

        Assert.Equal(2, (await sut.Log.ReadStreamAsync(stream)).Count);
    }

    [Fact]
    public async Task A_multi_event_append_is_all_or_nothing()
    {
        await using var sut = await LogUnderTest.CreateAsync();
        var stream = Given.Stream();
        await sut.Log.AppendAsync(stream, ExpectedVersion.NoStream, [Given.Event()]);
        var head = await sut.Log.ReadHeadPositionAsync();
        var broken = new EventData(Guid.NewGuid(), new ThingHappened(3), "thing-happened.v1", "{ this is not json", EventMetadata.Empty);

        await Assert.ThrowsAnyAsync<Exception>(() => sut.Log.AppendAsync(stream, ExpectedVersion.Exact(1), [Given.Event(), Given.Event(), broken]));

        Assert.Single(await sut.Log.ReadStreamAsync(stream));
        Assert.Equal(1, await sut.Log.ReadStreamVersionAsync(stream));
        Assert.Equal(head, await sut.Log.ReadHeadPositionAsync());

        // The stream is not left locked or half-written: the next append lands at version 2.
        var next = await sut.Log.AppendAsync(stream, ExpectedVersion.Exact(1), [Given.Event()]);
        Assert.Equal(2, next.StreamVersion);
    }

    [Fact]
    public async Task Appends_are_refused_before_storage_when_malformed()
    {
        await using var sut = await LogUnderTest.CreateAsync();
        var one = Given.Event();

        await Assert.ThrowsAsync<ArgumentException>(() => sut.Log.AppendAsync("nocategory", ExpectedVersion.Any, [Given.Event()]));
        await Assert.ThrowsAsync<ArgumentException>(() => sut.Log.AppendAsync(Given.Stream(), ExpectedVersion.Any, []));
        await Assert.ThrowsAsync<ArgumentException>(() => sut.Log.AppendAsync(Given.Stream(), ExpectedVersion.Any, [one, one]));
        Assert.Equal(0, await sut.Log.ReadHeadPositionAsync());
    }

    [Fact]
    public async Task Racing_writers_on_one_stream_win_one_version_each()
    {
        await using var sut = await LogUnderTest.CreateAsync();
        var stream = Given.Stream();

        // Ten writers all claim version 1: exactly one may get it.
        var racers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            try
            {
                await sut.Log.AppendAsync(stream, ExpectedVersion.NoStream, [Given.Event()]);
                return true;
            }
            catch (WrongExpectedVersionException)
            {
                return false;
            }
        })));
        Assert.Equal(1, racers.Count(won => won));

        // Then eight writers keep appending with exact versions, re-reading on conflict, until 200 events are in.
        var written = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        var total = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref total) < 200)
            {
                var version = await sut.Log.ReadStreamVersionAsync(stream);
                var e = Given.Event();
                try
                {
                    await sut.Log.AppendAsync(stream, ExpectedVersion.Exact(version), [e]);
                    written.Add(e.EventId);
                    Interlocked.Increment(ref total);
                }
                catch (WrongExpectedVersionException ex)
                {
                    Assert.True(ex.ActualVersion > version);
                }
            }
        })));

        var read = await sut.Log.ReadStreamAsync(stream);
        Assert.Equal(Enumerable.Range(1, read.Count).Select(v => (long)v), read.Select(e => e.StreamVersion));
        Assert.Equal(written.Count + 1, read.Count);
        Assert.Equal(read.Count, read.Select(e => e.EventId).Distinct().Count());
        Assert.Subset(read.Select(e => e.EventId).ToHashSet(), written.ToHashSet());
        Assert.Equal(read.OrderBy(e => e.Position).Select(e => e.StreamVersion), read.Select(e => e.StreamVersion));
    }
}
