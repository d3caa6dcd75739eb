using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Tests;

/// <summary>The version a stream fetched for writing is decided at.</summary>
public sealed class StreamWriteTests
{
    [Fact]
    public void Bug_16_a_fetch_whose_events_ran_past_the_version_it_read_is_at_the_version_of_its_events()
    {
        // Two workers claim one referral: the second's fetch read version 1, then the first's claim committed before
        // its events were read. The state holds the claim, so it is at version 2; at 1 it would pass If-Match: 1 and
        // answer 200 for a claim it never made.
        Assert.Equal(2, StreamWrite<object>.VersionOf(1, [Event(1), Event(2)]));
    }

    [Fact]
    public void A_fetch_is_at_the_version_it_read_when_its_events_end_there_and_at_0_for_no_stream()
    {
        Assert.Equal(2, StreamWrite<object>.VersionOf(2, [Event(1), Event(2)]));
        Assert.Equal(0, StreamWrite<object>.VersionOf(null, []));
    }

    private static RecordedEvent Event(long version) =>
        new(version, "referral-1", version, Guid.NewGuid(), "referral-claimed.v1", "{}", EventMetadata.Empty, DateTimeOffset.UnixEpoch);
}
