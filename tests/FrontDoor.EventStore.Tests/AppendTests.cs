using FrontDoor.EventStore.Tests.Backends;

namespace FrontDoor.EventStore.Tests;

public sealed class AppendTests
{
    public static TheoryData<string> Backends => StoreBackends.Names;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Appended_events_read_back_in_order_with_everything_they_carry(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var stream = Given.Stream();
        var events = Given.Events(3);

        var result = await sut.Store.AppendAsync(stream, ExpectedVersion.NoStream, events);

        Assert.Equal(3, result.StreamVersion);
        var read = await sut.Store.ReadStreamAsync(stream);
        Assert.Equal([1L, 2L, 3L], read.Select(e => e.StreamVersion));
        Assert.Equal(events.Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.All(read, e => Assert.Equal(stream, e.StreamId));
        Assert.All(read, e => Assert.Equal("thing-happened.v1", e.Type));
        Assert.Equal("""{"value":2}""", read[1].Data.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal(new EventMetadata("corr-1", "cause-1", "tester"), read[0].Metadata);
        Assert.All(read, e => Assert.True(DateTimeOffset.UtcNow - e.Timestamp < TimeSpan.FromMinutes(1)));
        Assert.Equal(result.Position, read[^1].Position);
        Assert.True(read[0].Position < read[1].Position && read[1].Position < read[2].Position);
        Assert.Equal(3, await sut.Store.ReadStreamVersionAsync(stream));
        Assert.Equal(2, (await sut.Store.ReadStreamAsync(stream, fromVersion: 2)).Count);
    }

    public static TheoryData<string, string, long, bool> ExpectedVersionCases()
    {
        var data = new TheoryData<string, string, long, bool>();
        foreach (var backend in StoreBackends.Names)
        {
            // (existing events, expectation, succeeds?)
            data.Add(backend, "any", 0, true);
            data.Add(backend, "any", 2, true);
            data.Add(backend, "no-stream", 0, true);
            data.Add(backend, "no-stream", 2, false);
            data.Add(backend, "stream-exists", 0, false);
            data.Add(backend, "stream-exists", 2, true);
            data.Add(backend, "exact-0", 0, true);
            data.Add(backend, "exact-0", 2, false);
            data.Add(backend, "exact-2", 2, true);
            data.Add(backend, "exact-1", 2, false);
            data.Add(backend, "exact-3", 2, false);
            data.Add(backend, "exact-1", 0, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ExpectedVersionCases))]
    public async Task Expected_version_is_enforced(string backend, string expectation, long existing, bool succeeds)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var stream = Given.Stream();
        if (existing > 0)
        {
            await sut.Store.AppendAsync(stream, ExpectedVersion.NoStream, Given.Events((int)existing));
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
            var result = await sut.Store.AppendAsync(stream, expected, [Given.Event()]);
            Assert.Equal(existing + 1, result.StreamVersion);
        }
        else
        {
            var error = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => sut.Store.AppendAsync(stream, expected, [Given.Event()]));
            Assert.Equal(stream, error.StreamId);
            Assert.Equal(expected, error.Expected);
            Assert.Equal(existing, error.ActualVersion);
            Assert.Contains(stream, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(existing + (succeeds ? 1 : 0), (await sut.Store.ReadStreamAsync(stream)).Count);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Re_appending_the_same_events_is_a_retry_that_returns_the_original_result(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var stream = Given.Stream();
        var events = Given.Events(2);
        var first = await sut.Store.AppendAsync(stream, ExpectedVersion.NoStream, events);

        var sameExpectation = await sut.Store.AppendAsync(stream, ExpectedVersion.NoStream, events);
        var anyExpectation = await sut.Store.AppendAsync(stream, ExpectedVersion.Any, events);
        var exactExpectation = await sut.Store.AppendAsync(stream, ExpectedVersion.Exact(0), events);

        Assert.Equal(first, sameExpectation);
        Assert.Equal(first, anyExpectation);
        Assert.Equal(first, exactExpectation);
        Assert.Equal(2, (await sut.Store.ReadStreamAsync(stream)).Count);
        Assert.Equal(first.Position, await sut.Store.ReadHeadPositionAsync());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_append_that_repeats_only_some_events_is_refused_and_writes_nothing(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var stream = Given.Stream();
        var events = Given.Events(2);
        await sut.Store.AppendAsync(stream, ExpectedVersion.NoStream, events);

        await Assert.ThrowsAsync<PartialDuplicateAppendException>(
            () => sut.Store.AppendAsync(stream, ExpectedVersion.Any, [events[1], Given.Event()]));

        Assert.Equal(2, (await sut.Store.ReadStreamAsync(stream)).Count);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_multi_event_append_is_all_or_nothing(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var stream = Given.Stream();
        await sut.Store.AppendAsync(stream, ExpectedVersion.NoStream, [Given.Event()]);
        var head = await sut.Store.ReadHeadPositionAsync();
        var broken = new EventData(Guid.NewGuid(), new ThingHappened(3), "thing-happened.v1", "{ this is not json", EventMetadata.Empty);

        await Assert.ThrowsAnyAsync<Exception>(() => sut.Store.AppendAsync(stream, ExpectedVersion.Exact(1), [Given.Event(), Given.Event(), broken]));

        Assert.Single(await sut.Store.ReadStreamAsync(stream));
        Assert.Equal(1, await sut.Store.ReadStreamVersionAsync(stream));
        Assert.Equal(head, await sut.Store.ReadHeadPositionAsync());

        // The stream is not left locked or half-written: the next append lands at version 2.
        var next = await sut.Store.AppendAsync(stream, ExpectedVersion.Exact(1), [Given.Event()]);
        Assert.Equal(2, next.StreamVersion);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Appends_are_refused_before_storage_when_malformed(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var one = Given.Event();

        await Assert.ThrowsAsync<ArgumentException>(() => sut.Store.AppendAsync("nocategory", ExpectedVersion.Any, [Given.Event()]));
        await Assert.ThrowsAsync<ArgumentException>(() => sut.Store.AppendAsync(Given.Stream(), ExpectedVersion.Any, []));
        await Assert.ThrowsAsync<ArgumentException>(() => sut.Store.AppendAsync(Given.Stream(), ExpectedVersion.Any, [one, one]));
        Assert.Equal(0, await sut.Store.ReadHeadPositionAsync());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Racing_writers_on_one_stream_win_one_version_each(string backend)
    {
        await using var sut = await StoreBackends.CreateAsync(backend);
        var stream = Given.Stream();

        // Ten writers all claim version 1: exactly one may get it.
        var racers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            try
            {
                await sut.Store.AppendAsync(stream, ExpectedVersion.NoStream, [Given.Event()]);
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
                var version = await sut.Store.ReadStreamVersionAsync(stream);
                var e = Given.Event();
                try
                {
                    await sut.Store.AppendAsync(stream, ExpectedVersion.Exact(version), [e]);
                    written.Add(e.EventId);
                    Interlocked.Increment(ref total);
                }
                catch (WrongExpectedVersionException ex)
                {
                    Assert.True(ex.ActualVersion > version);
                }
            }
        })));

        var read = await sut.Store.ReadStreamAsync(stream);
        Assert.Equal(Enumerable.Range(1, read.Count).Select(v => (long)v), read.Select(e => e.StreamVersion));
        Assert.Equal(written.Count + 1, read.Count);
        Assert.Equal(read.Count, read.Select(e => e.EventId).Distinct().Count());
        Assert.Subset(read.Select(e => e.EventId).ToHashSet(), written.ToHashSet());
        Assert.Equal(read.OrderBy(e => e.Position).Select(e => e.StreamVersion), read.Select(e => e.StreamVersion));
    }
}
