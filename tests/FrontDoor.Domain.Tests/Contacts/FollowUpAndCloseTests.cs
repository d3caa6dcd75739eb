using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Tests.Support;
using static FrontDoor.Domain.Tests.Contacts.ContactData;

namespace FrontDoor.Domain.Tests.Contacts;

public sealed class FollowUpAndCloseTests
{
    private static readonly DateTimeOffset CheckBack = Times.Monday.AddDays(7);

    [Fact]
    public void ACheckBackCanBeScheduledWhileWorkIsOpen()
    {
        var outcome = Specs.Contact()
            .Given(Received(), Referred(HousingReferral))
            .When(new ScheduleFollowUp(ContactId, CheckBack, FollowUpReasons.CheckBackAfterDays, Officer))
            .Then(new FollowUpScheduled(ContactId, CheckBack, FollowUpReasons.CheckBackAfterDays, Officer, Times.Now));

        Assert.Equal(ContactStatus.AwaitingFollowUp, outcome.State.Status);
        Assert.Equal(FollowUpStates.Scheduled, outcome.State.FollowUp);
        Assert.Equal(CheckBack, outcome.State.FollowUpDueAt);
    }

    [Fact]
    public void FollowUpReasonMustBeKnown() =>
        Specs.Contact()
            .Given(Received())
            .When(new ScheduleFollowUp(ContactId, CheckBack, "because", Officer))
            .ThenFails("contact.unknown-follow-up-reason");

    [Fact]
    public void SchedulingTheSameFollowUpAgainIsANoOp() =>
        Specs.Contact()
            .Given(Received(), FollowUp(CheckBack, FollowUpReasons.CheckBackAfterDays))
            .When(new ScheduleFollowUp(ContactId, CheckBack, FollowUpReasons.CheckBackAfterDays, Officer))
            .ThenNothing();

    [Fact]
    public void AFollowUpCanBeMoved()
    {
        var later = CheckBack.AddDays(2);

        var outcome = Specs.Contact()
            .Given(Received(), FollowUp(CheckBack, FollowUpReasons.CheckBackAfterDays))
            .When(new ScheduleFollowUp(ContactId, later, FollowUpReasons.CheckBackAfterDays, Officer))
            .Then(new FollowUpScheduled(ContactId, later, FollowUpReasons.CheckBackAfterDays, Officer, Times.Now));

        Assert.Equal(later, outcome.State.FollowUpDueAt);
    }

    [Fact]
    public void ADoneFollowUpCannotBeScheduledAgain() =>
        Specs.Contact()
            .Given(Received(), FollowUp(), FollowUpDone())
            .When(new ScheduleFollowUp(ContactId, CheckBack, FollowUpReasons.CheckBackAfterDays, Officer))
            .ThenFails("contact.follow-up-already-done");

    [Fact]
    public void AFollowUpIsNotDueBeforeItsTime() =>
        Specs.Contact()
            .Given(Received(), FollowUp(CheckBack))
            .At(CheckBack.AddTicks(-1))
            .When(new MarkFollowUpDue(ContactId, "system:clock"))
            .ThenNothing();

    [Fact]
    public void AFollowUpBecomesDueAtItsTime()
    {
        var outcome = Specs.Contact()
            .Given(Received(), FollowUp(CheckBack))
            .At(CheckBack)
            .When(new MarkFollowUpDue(ContactId, "system:clock"))
            .Then(new FollowUpDue(ContactId, CheckBack, "system:clock", CheckBack));

        Assert.Equal(ContactStatus.FollowUpDue, outcome.State.Status);
    }

    [Fact]
    public void AFollowUpBecomesDueOnlyOnce() =>
        Specs.Contact()
            .Given(Received(), FollowUp(CheckBack), new FollowUpDue(ContactId, CheckBack, "system:clock", CheckBack))
            .At(CheckBack.AddDays(1))
            .When(new MarkFollowUpDue(ContactId, "system:clock"))
            .ThenNothing();

    [Fact]
    public void WithoutAScheduledFollowUpNothingFallsDue() =>
        Specs.Contact()
            .Given(Received())
            .At(CheckBack.AddDays(30))
            .When(new MarkFollowUpDue(ContactId, "system:clock"))
            .ThenNothing();

    [Fact]
    public void CompletingAFollowUpThatIsNotScheduledIsAnError() =>
        Specs.Contact()
            .Given(Received(), Referred(HousingReferral))
            .When(new CompleteFollowUp(ContactId, true, "Fine", Officer))
            .ThenFails("contact.follow-up-not-scheduled");

    [Fact]
    public void CompletingAFollowUpTwiceIsAnError() =>
        Specs.Contact()
            .Given(Received(), FollowUp(), FollowUpDone())
            .When(new CompleteFollowUp(ContactId, true, "Fine", Officer))
            .ThenFails("contact.follow-up-not-scheduled");

    [Fact]
    public void AHelpfulCheckBackWithNothingOpenAlsoClosesTheContact()
    {
        var given = ContactDecider.Fold([Received(), Referred(HousingReferral), Completed(HousingReferral), FollowUp()]);

        var decided = ContactDecider.CheckBack(given, new CompleteFollowUp(ContactId, true, "Resident is settled", Officer), Times.Now, ContactPolicy.Default);

        Assert.Equal([typeof(FollowUpCompleted), typeof(ContactClosed)], decided.Select(e => e.GetType()));
        Assert.True(ContactDecider.Fold(given, decided).IsClosed);
    }

    [Fact]
    public void ACheckBackThatDidNotHelpLeavesTheContactOpenForTriage()
    {
        var given = ContactDecider.Fold([Received(), Referred(HousingReferral), Completed(HousingReferral), FollowUp()]);

        var decided = ContactDecider.CheckBack(given, new CompleteFollowUp(ContactId, false, "Still no heating", Officer), Times.Now, ContactPolicy.Default);

        Assert.DoesNotContain(decided, e => e is ContactClosed);
        Assert.Contains(decided, e => e is QueuedForTriage);
    }

    [Fact]
    public void AHelpfulFollowUpIsDone()
    {
        var outcome = Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Completed(HousingReferral), FollowUp())
            .When(new CompleteFollowUp(ContactId, true, "Resident is settled", Officer))
            .Then(new FollowUpCompleted(ContactId, null, true, "Resident is settled", Officer, Times.Now));

        Assert.Equal(FollowUpStates.Done, outcome.State.FollowUp);
        Assert.Equal(ContactStatus.Routed, outcome.State.Status);
    }

    [Fact]
    public void AnUnhelpfulFollowUpReopensTheContactForTriage()
    {
        var outcome = Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Completed(HousingReferral), FollowUp())
            .When(new CompleteFollowUp(ContactId, false, "Landlord still threatening to evict", Officer))
            .Then(
                new FollowUpCompleted(ContactId, null, false, "Landlord still threatening to evict", Officer, Times.Now),
                new QueuedForTriage(ContactId, TriageReasons.FollowUpNotHelped, Officer, Times.Now));

        Assert.Equal(ContactStatus.Reopened, outcome.State.Status);
        Assert.Equal(FollowUpStates.None, outcome.State.FollowUp);
        Assert.True(outcome.State.AwaitingTriage);
    }

    [Fact]
    public void AnUnhelpfulFollowUpMustSayWhy() =>
        Specs.Contact()
            .Given(Received(), FollowUp())
            .When(new CompleteFollowUp(ContactId, false, "", Officer))
            .ThenFails("contact.note-required");

    [Fact]
    public void AReopenedContactIsRoutedAgainOnceANewReferralIsMade()
    {
        var outcome = Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Completed(HousingReferral), FollowUp(), FollowUpDone(helped: false), Queued(TriageReasons.FollowUpNotHelped))
            .When(new RecordReferral(ContactId, ReplacementId, ServiceCodes.PovertySupport, PriorityCodes.Standard, Due, Router));

        Assert.Single(outcome.Events);
        Assert.Equal(ContactStatus.Routed, outcome.State.Status);
        Assert.False(outcome.State.AwaitingTriage);
    }

    [Fact]
    public void AContactClosesWhenAllReferralsAreCompletedAndFollowedUp()
    {
        var outcome = Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Completed(HousingReferral), FollowUp(), FollowUpDone())
            .When(new CloseContact(ContactId, Officer))
            .Then(new ContactClosed(ContactId, Officer, Times.Now));

        Assert.True(outcome.State.IsClosed);
        Assert.Equal(ContactStatus.Closed, outcome.State.Status);
    }

    [Fact]
    public void AContactWithAnOpenReferralCannotClose()
    {
        var error = Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Referred(PovertyReferral, ServiceCodes.PovertySupport), Completed(HousingReferral), FollowUp(reason: FollowUpReasons.CheckBackAfterDays), FollowUpDone())
            .When(new CloseContact(ContactId, Officer))
            .ThenFails("contact.cannot-close");

        Assert.Contains("not yet completed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AContactWhoseFollowUpIsOnlyScheduledCannotClose()
    {
        var error = Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Completed(HousingReferral), FollowUp())
            .When(new CloseContact(ContactId, Officer))
            .ThenFails("contact.cannot-close");

        Assert.Contains("follow-up", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AContactNeverFollowedUpCannotClose() =>
        Specs.Contact().Given(Received()).When(new CloseContact(ContactId, Officer)).ThenFails("contact.cannot-close");

    [Fact]
    public void AContactWaitingForTriageCannotClose() =>
        Specs.Contact()
            .Given(Received(), FollowUp(reason: FollowUpReasons.CheckBackAfterDays), FollowUpDone(), Queued())
            .When(new CloseContact(ContactId, Officer))
            .ThenFails("contact.cannot-close");

    [Fact]
    public void NewWorkAfterAFollowUpNeedsAnotherFollowUpBeforeClosing()
    {
        var state = ContactDecider.Fold(
        [
            Received(),
            Referred(HousingReferral),
            Completed(HousingReferral),
            FollowUp(),
            FollowUpDone(),
            Referred(PovertyReferral, ServiceCodes.PovertySupport),
            Completed(PovertyReferral),
        ]);

        Assert.Equal(FollowUpStates.None, state.FollowUp);
        Assert.Throws<DomainException>(() => ContactDecider.Decide(state, new CloseContact(ContactId, Officer), Times.Now));
    }

    public static TheoryData<ContactCommand> CommandsAfterClose() =>
    [
        new AssessNeeds(ContactId, [NeedCodes.HousingAdvice], Officer),
        new RecordConsent(ContactId, false, ConsentMethods.Written, Officer),
        new RecordReferral(ContactId, PovertyReferral, ServiceCodes.PovertySupport, PriorityCodes.Standard, Due, Router),
        new RecordReferralCompleted(ContactId, HousingReferral, Officer),
        new RecordReferralReturned(ContactId, HousingReferral, Router),
        new Signpost(ContactId, ["men-in-sheds-cheshire-west"], Officer),
        new ResolveAtFirstContact(ContactId, "Sorted", Officer),
        new QueueForTriage(ContactId, "again", Router),
        new ScheduleFollowUp(ContactId, CheckBack, FollowUpReasons.CheckBackAfterDays, Officer),
        new MarkFollowUpDue(ContactId, "system:clock"),
        new CompleteFollowUp(ContactId, true, "Fine", Officer),
        new CloseContact(ContactId, Officer),
    ];

    [Theory]
    [MemberData(nameof(CommandsAfterClose))]
    public void CommandsAfterCloseAreErrors(ContactCommand command) =>
        Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Completed(HousingReferral), FollowUp(), FollowUpDone(), new ContactClosed(ContactId, Officer, Times.Monday))
            .When(command)
            .ThenFails("contact.closed");
}
