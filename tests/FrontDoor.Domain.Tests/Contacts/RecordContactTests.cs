using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Tests.Support;
using static FrontDoor.Domain.Tests.Contacts.ContactData;

namespace FrontDoor.Domain.Tests.Contacts;

public sealed class RecordContactTests
{
    private static RecordContact Command(
        string channel = ChannelCodes.Phone,
        string? siteId = null,
        string summary = Summary,
        IReadOnlyList<string>? needs = null,
        string actor = Officer) =>
        new(ContactId, channel, siteId, null, summary, needs ?? [NeedCodes.Homelessness, NeedCodes.MoneyAndDebt], true, actor);

    [Fact]
    public void PhoneContactIsReceivedWithNeedsAsFirstStated()
    {
        var outcome = Specs.Contact()
            .When(Command(summary: "  " + Summary + "  ", needs: [" Homelessness ", "money-and-debt", "homelessness"]))
            .Then(Received());

        Assert.Equal(ContactStatus.Received, outcome.State.Status);
        Assert.Equal([NeedCodes.Homelessness, NeedCodes.MoneyAndDebt], outcome.State.StatedNeeds);
        Assert.False(outcome.State.HasOwner);
        Assert.Equal(1, outcome.State.Version);
    }

    [Theory]
    [InlineData(ChannelCodes.LetsTalk, "lets-talk-blacon")]
    [InlineData(ChannelCodes.WelcomingSpace, "welcoming-space-chester-library")]
    public void SiteChannelsAreReceivedWithTheirSite(string channel, string siteId)
    {
        var outcome = Specs.Contact().When(Command(channel, siteId)).Then(Received(channel, siteId));

        Assert.Equal(siteId, outcome.State.SiteId);
    }

    [Theory]
    [InlineData(ChannelCodes.LetsTalk, null)]
    [InlineData(ChannelCodes.WelcomingSpace, "")]
    [InlineData(ChannelCodes.LetsTalk, "   ")]
    public void SiteChannelsNeedASite(string channel, string? siteId) =>
        Specs.Contact().When(Command(channel, siteId)).ThenFails("contact.site-required");

    [Fact]
    public void SiteMustBeInTheCatalogue() =>
        Specs.Contact().When(Command(ChannelCodes.LetsTalk, "lets-talk-atlantis")).ThenFails("contact.unknown-site");

    [Fact]
    public void SiteKindMustMatchTheChannel() =>
        Specs.Contact().When(Command(ChannelCodes.LetsTalk, "welcoming-space-chester-library")).ThenFails("contact.site-mismatch");

    [Theory]
    [InlineData(ChannelCodes.Phone)]
    [InlineData(ChannelCodes.Web)]
    public void NonSiteChannelsMustNotNameASite(string channel) =>
        Specs.Contact().When(Command(channel, "lets-talk-blacon")).ThenFails("contact.site-not-applicable");

    [Theory]
    [InlineData("fax")]
    [InlineData("")]
    [InlineData("Phone")]
    public void ChannelMustBeKnown(string channel) =>
        Specs.Contact().When(Command(channel)).ThenFails("contact.unknown-channel");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void SummaryIsRequired(string summary) =>
        Specs.Contact().When(Command(summary: summary)).ThenFails("contact.summary-required");

    [Fact]
    public void SummaryOfExactlyTheLimitIsAccepted()
    {
        var summary = new string('a', ContactDecider.MaxSummaryLength);

        var outcome = Specs.Contact().When(Command(summary: summary));

        Assert.Null(outcome.Error);
        Assert.Equal(summary, outcome.State.Summary);
    }

    [Fact]
    public void SummaryOverTheLimitIsRejected() =>
        Specs.Contact()
            .When(Command(summary: new string('a', ContactDecider.MaxSummaryLength + 1)))
            .ThenFails("contact.summary-too-long");

    [Fact]
    public void RecordingAnExistingContactIsAnError() =>
        Specs.Contact().Given(Received()).When(Command()).ThenFails("contact.already-exists");

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void AnActorIsRequired(string actor) =>
        Specs.Contact().When(Command(actor: actor)).ThenFails("actor.required");

    [Fact]
    public void AContactIdIsRequired() =>
        Specs.Contact()
            .When(new RecordContact(Guid.Empty, ChannelCodes.Phone, null, null, Summary, [], true, Officer))
            .ThenFails("contact.id-required");

    [Fact]
    public void CommandsForAnUnrecordedContactAreErrors() =>
        Specs.Contact().When(new QueueForTriage(ContactId, "unrouted", Router)).ThenFails("contact.not-found");

    [Fact]
    public void CommandsForADifferentContactThanTheLoadedStateAreErrors() =>
        Specs.Contact()
            .Given(Received())
            .When(new QueueForTriage(Guid.NewGuid(), "unrouted", Router))
            .ThenFails("contact.id-mismatch");
}
