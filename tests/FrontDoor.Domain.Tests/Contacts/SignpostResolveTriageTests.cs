using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Sla;
using FrontDoor.Domain.Tests.Support;
using static FrontDoor.Domain.Tests.Contacts.ContactData;

namespace FrontDoor.Domain.Tests.Contacts;

public sealed class SignpostResolveTriageTests
{
    private const string MenInSheds = "men-in-sheds-cheshire-west";
    private const string Befriending = "befriending-service-cheshire-west";
    private static readonly DateTimeOffset FollowUpDue = SlaPolicy.Default.AddWorkingDays(Times.Now, 3);

    [Fact]
    public void SignpostingAloneCompletesTheWorkAndSchedulesAFollowUp()
    {
        var outcome = Specs.Contact()
            .Given(Received())
            .When(new Signpost(ContactId, [MenInSheds, Befriending], Officer))
            .Then(
                new Signposted(ContactId, [MenInSheds, Befriending], Officer, Times.Now),
                new FollowUpScheduled(ContactId, FollowUpDue, FollowUpReasons.Signposted, Officer, Times.Now));

        Assert.True(outcome.State.HasOwner);
        Assert.Equal([MenInSheds, Befriending], outcome.State.Signposts);
    }

    [Fact]
    public void SignpostingAlongsideAnOpenReferralWaitsForTheReferral() =>
        Specs.Contact()
            .Given(Received(), Referred(HousingReferral))
            .When(new Signpost(ContactId, [MenInSheds], Officer))
            .Then(new Signposted(ContactId, [MenInSheds], Officer, Times.Now));

    [Fact]
    public void OnlyNewSignpostsAreRecorded() =>
        Specs.Contact()
            .Given(Received(), Referred(HousingReferral), new Signposted(ContactId, [MenInSheds], Officer, Times.Monday))
            .When(new Signpost(ContactId, [MenInSheds, Befriending], Officer))
            .Then(new Signposted(ContactId, [Befriending], Officer, Times.Now));

    [Fact]
    public void RepeatingASignpostIsANoOp() =>
        Specs.Contact()
            .Given(Received(), new Signposted(ContactId, [MenInSheds], Officer, Times.Monday), FollowUp(reason: FollowUpReasons.Signposted))
            .When(new Signpost(ContactId, [MenInSheds], Officer))
            .ThenNothing();

    [Fact]
    public void SignpostsMustBeDirectoryEntries() =>
        Specs.Contact()
            .Given(Received())
            .When(new Signpost(ContactId, [MenInSheds, "the-pub"], Officer))
            .ThenFails("contact.unknown-directory-entry");

    [Fact]
    public void SignpostingNeedsAtLeastOneEntry() =>
        Specs.Contact().Given(Received()).When(new Signpost(ContactId, [], Officer)).ThenFails("contact.signpost-entries-required");

    [Fact]
    public void ResolvingAtFirstContactSchedulesAFollowUp()
    {
        var outcome = Specs.Contact()
            .Given(Received())
            .When(new ResolveAtFirstContact(ContactId, "Explained how to apply for a council tax discount", Officer))
            .Then(
                new ResolvedAtFirstContact(ContactId, null, "Explained how to apply for a council tax discount", Officer, Times.Now),
                new FollowUpScheduled(ContactId, FollowUpDue, FollowUpReasons.Resolved, Officer, Times.Now));

        Assert.True(outcome.State.Resolved);
        Assert.True(outcome.State.HasOwner);
    }

    [Fact]
    public void AContactWithOpenReferralsWasNotResolvedAtFirstContact() =>
        Specs.Contact()
            .Given(Received(), Referred(HousingReferral))
            .When(new ResolveAtFirstContact(ContactId, "Sorted", Officer))
            .ThenFails("contact.has-open-referrals");

    [Fact]
    public void ResolvingNeedsANote() =>
        Specs.Contact().Given(Received()).When(new ResolveAtFirstContact(ContactId, "", Officer)).ThenFails("contact.note-required");

    [Fact]
    public void ResolvingTwiceIsANoOp() =>
        Specs.Contact()
            .Given(Received(), new ResolvedAtFirstContact(ContactId, null, "Sorted", Officer, Times.Monday), FollowUp(reason: FollowUpReasons.Resolved))
            .When(new ResolveAtFirstContact(ContactId, "Sorted", Officer))
            .ThenNothing();

    [Fact]
    public void QueueingForTriageGivesTheContactAnOwner()
    {
        var outcome = Specs.Contact()
            .Given(Received())
            .When(new QueueForTriage(ContactId, "no-needs-recorded", Router))
            .Then(new QueuedForTriage(ContactId, "no-needs-recorded", Router, Times.Now));

        Assert.Equal(ContactStatus.Routed, outcome.State.Status);
        Assert.True(outcome.State.AwaitingTriage);
        Assert.True(outcome.State.HasOwner);
    }

    [Fact]
    public void QueueingTwiceIsANoOp() =>
        Specs.Contact().Given(Received(), Queued()).When(new QueueForTriage(ContactId, "again", Router)).ThenNothing();

    [Fact]
    public void QueueingNeedsAReason() =>
        Specs.Contact().Given(Received()).When(new QueueForTriage(ContactId, " ", Router)).ThenFails("contact.reason-required");

    [Fact]
    public void TriageReferralKeepsTheContactWithTriageButARealServiceTakesItOver()
    {
        var withTriage = ContactDecider.Fold([Received(), Queued(), Referred(TriageReferral, ServiceCodes.FrontDoorTriage, PriorityCodes.Standard)]);
        var handedOn = ContactDecider.Evolve(withTriage, Referred(HousingReferral));

        Assert.True(withTriage.AwaitingTriage);
        Assert.False(handedOn.AwaitingTriage);
    }

    [Fact]
    public void CompletingTheTriageReferralEndsTheWaitForTriage()
    {
        var state = ContactDecider.Fold(
        [
            Received(),
            Queued(),
            Referred(TriageReferral, ServiceCodes.FrontDoorTriage, PriorityCodes.Standard),
            Completed(TriageReferral),
        ]);

        Assert.False(state.AwaitingTriage);
        Assert.Empty(state.OpenReferrals);
    }
}
