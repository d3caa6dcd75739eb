namespace FrontDoor.Domain.Tests;

public sealed class VocabularyTests
{
    [Theory]
    [InlineData("phone", true)]
    [InlineData("web", true)]
    [InlineData("lets-talk", true)]
    [InlineData("welcoming-space", true)]
    [InlineData("email", false)]
    [InlineData(null, false)]
    public void ChannelsAreKnown(string? channel, bool known) => Assert.Equal(known, Vocabulary.IsKnownChannel(channel));

    [Fact]
    public void OnlyInPersonChannelsNeedASite()
    {
        Assert.True(Vocabulary.IsSiteChannel(ChannelCodes.LetsTalk));
        Assert.True(Vocabulary.IsSiteChannel(ChannelCodes.WelcomingSpace));
        Assert.False(Vocabulary.IsSiteChannel(ChannelCodes.Phone));
        Assert.False(Vocabulary.IsSiteChannel(ChannelCodes.Web));
    }

    [Fact]
    public void FrontDoorTriageIsAService()
    {
        Assert.True(Vocabulary.IsKnownService(ServiceCodes.FrontDoorTriage));
        Assert.Equal(5, Vocabulary.Services.Count);
        Assert.False(Vocabulary.IsKnownService("Housing"));
    }

    [Fact]
    public void OnlyTheTwoSafeguardingNeedsAreSafeguarding() =>
        Assert.Equal(
            [NeedCodes.AdultSafeguarding, NeedCodes.ChildSafeguarding],
            Vocabulary.Needs.Where(Vocabulary.IsSafeguarding));

    [Fact]
    public void PrioritiesAreOrderedImmediateUrgentStandard()
    {
        Assert.Equal(["immediate", "urgent", "standard"], Vocabulary.Priorities);
        Assert.True(PriorityCodes.Rank(PriorityCodes.Immediate) > PriorityCodes.Rank(PriorityCodes.Urgent));
        Assert.True(PriorityCodes.Rank(PriorityCodes.Urgent) > PriorityCodes.Rank(PriorityCodes.Standard));
        Assert.Equal(PriorityCodes.Urgent, PriorityCodes.Highest([PriorityCodes.Standard, PriorityCodes.Urgent, "bogus"]));
        Assert.Null(PriorityCodes.Highest([]));
    }

    [Fact]
    public void StreamNamesArePrefixedByAggregate()
    {
        var id = Guid.Parse("6a1d3a4e-0a7b-4c43-9d3e-1b1f5f2a9c01");

        Assert.Equal("contact-6a1d3a4e-0a7b-4c43-9d3e-1b1f5f2a9c01", StreamIds.Contact(id));
        Assert.Equal("referral-6a1d3a4e-0a7b-4c43-9d3e-1b1f5f2a9c01", StreamIds.Referral(id));
        Assert.Equal("resident-6a1d3a4e-0a7b-4c43-9d3e-1b1f5f2a9c01", StreamIds.Resident(id));
    }
}
