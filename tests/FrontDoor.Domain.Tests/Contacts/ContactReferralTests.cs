using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Sla;
using FrontDoor.Domain.Tests.Support;
using static FrontDoor.Domain.Tests.Contacts.ContactData;

namespace FrontDoor.Domain.Tests.Contacts;

public sealed class ContactReferralTests
{
    private static readonly DateTimeOffset FollowUpDue = SlaPolicy.Default.AddWorkingDays(Times.Now, 3);

    [Fact]
    public void RecordingAReferralRoutesTheContact()
    {
        var outcome = Specs.Contact()
            .Given(Received())
            .When(new RecordReferral(ContactId, HousingReferral, ServiceCodes.Housing, PriorityCodes.Urgent, Due, Router))
            .Then(new ContactReferred(ContactId, HousingReferral, ServiceCodes.Housing, PriorityCodes.Urgent, Due, Router, Times.Now));

        Assert.Equal(ContactStatus.Routed, outcome.State.Status);
        Assert.True(outcome.State.HasOwner);
        Assert.Equal(ServiceCodes.Housing, Assert.Single(outcome.State.OpenReferrals).Service);
    }

    [Fact]
    public void RecordingTheSameReferralTwiceIsANoOp() =>
        Specs.Contact()
            .Given(Received(), Referred(HousingReferral))
            .When(new RecordReferral(ContactId, HousingReferral, ServiceCodes.Housing, PriorityCodes.Urgent, Due, Router))
            .ThenNothing();

    [Fact]
    public void RecordingACompletedReferralAgainIsANoOp() =>
        Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Referred(PovertyReferral, ServiceCodes.PovertySupport), Completed(HousingReferral))
            .When(new RecordReferral(ContactId, HousingReferral, ServiceCodes.Housing, PriorityCodes.Urgent, Due, Router))
            .ThenNothing();

    [Fact]
    public void ReferralServiceMustBeKnown() =>
        Specs.Contact()
            .Given(Received())
            .When(new RecordReferral(ContactId, HousingReferral, "parks", PriorityCodes.Urgent, Due, Router))
            .ThenFails("contact.unknown-service");

    [Fact]
    public void ReferralPriorityMustBeKnown() =>
        Specs.Contact()
            .Given(Received())
            .When(new RecordReferral(ContactId, HousingReferral, ServiceCodes.Housing, "whenever", Due, Router))
            .ThenFails("contact.unknown-priority");

    [Fact]
    public void CompletingOneOfTwoReferralsSchedulesNoFollowUpYet()
    {
        var outcome = Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Referred(PovertyReferral, ServiceCodes.PovertySupport))
            .When(new RecordReferralCompleted(ContactId, HousingReferral, Officer))
            .Then(new ContactReferralCompleted(ContactId, HousingReferral, Officer, Times.Now));

        Assert.Equal([HousingReferral], outcome.State.CompletedReferralIds);
        Assert.Equal(PovertyReferral, Assert.Single(outcome.State.OpenReferrals).ReferralId);
        Assert.Equal(FollowUpStates.None, outcome.State.FollowUp);
    }

    [Fact]
    public void CompletingTheLastReferralSchedulesTheFollowUp()
    {
        var outcome = Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Referred(PovertyReferral, ServiceCodes.PovertySupport), Completed(HousingReferral))
            .When(new RecordReferralCompleted(ContactId, PovertyReferral, Officer))
            .Then(
                new ContactReferralCompleted(ContactId, PovertyReferral, Officer, Times.Now),
                new FollowUpScheduled(ContactId, FollowUpDue, FollowUpReasons.AllReferralsCompleted, Officer, Times.Now));

        Assert.Equal(ContactStatus.AwaitingFollowUp, outcome.State.Status);
        Assert.Equal(Times.Day(2025, 3, 6), FollowUpDue);
    }

    [Fact]
    public void CompletingAReferralTwiceIsANoOp() =>
        Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Completed(HousingReferral), FollowUp())
            .When(new RecordReferralCompleted(ContactId, HousingReferral, Officer))
            .ThenNothing();

    [Fact]
    public void CompletingAnUnknownReferralIsAnError() =>
        Specs.Contact()
            .Given(Received(), Referred(HousingReferral))
            .When(new RecordReferralCompleted(ContactId, PovertyReferral, Officer))
            .ThenFails("contact.unknown-referral");

    [Fact]
    public void Bug_20_what_staff_write_about_the_resident_is_sealed_under_the_contacts_data_subject()
    {
        var residentId = Guid.Parse("e0000000-0000-4000-8000-000000000001");
        var named = Specs.Contact()
            .Given(Received() with { ResidentId = residentId }, Referred(HousingReferral), Completed(HousingReferral), FollowUp())
            .When(new CompleteFollowUp(ContactId, false, "Landlord has still not fixed the boiler", Officer))
            .Events.OfType<FollowUpCompleted>().Single();
        var resolved = Specs.Contact()
            .Given(Received())
            .When(new ResolveAtFirstContact(ContactId, "Explained the discount", Officer))
            .Events.OfType<ResolvedAtFirstContact>().Single();

        Assert.Equal(residentId, named.DataSubjectId());
        Assert.Equal(ContactId, resolved.DataSubjectId());
        Assert.True(typeof(FollowUpCompleted).GetProperty(nameof(FollowUpCompleted.Note))!.IsDefined(typeof(PersonalDataAttribute), false));
        Assert.True(typeof(ResolvedAtFirstContact).GetProperty(nameof(ResolvedAtFirstContact.Note))!.IsDefined(typeof(PersonalDataAttribute), false));

        // The contact only learns that a referral is done; the outcome stays sealed on the referral.
        Assert.Null(typeof(ContactReferralCompleted).GetProperty("Outcome"));
    }

    [Fact]
    public void AReturnedReferralCannotBeCompleted() =>
        Specs.Contact()
            .Given(Received(), Referred(HousingReferral), new ContactReferralClosed(ContactId, HousingReferral, ReferralCloseReasons.Returned, Router, Times.Monday))
            .When(new RecordReferralCompleted(ContactId, HousingReferral, Officer))
            .ThenFails("contact.referral-closed");

    [Fact]
    public void AReturnedReferralIsClosedAndItsReplacementTracked()
    {
        var replacement = new ReplacementReferral(ReplacementId, ServiceCodes.PovertySupport, PriorityCodes.Urgent, Due);

        var outcome = Specs.Contact()
            .Given(Received(), Referred(HousingReferral))
            .When(new RecordReferralReturned(ContactId, HousingReferral, Router, replacement))
            .Then(
                new ContactReferralClosed(ContactId, HousingReferral, ReferralCloseReasons.Returned, Router, Times.Now),
                new ContactReferred(ContactId, ReplacementId, ServiceCodes.PovertySupport, PriorityCodes.Urgent, Due, Router, Times.Now));

        Assert.Equal(ReplacementId, Assert.Single(outcome.State.OpenReferrals).ReferralId);
        Assert.Equal([HousingReferral], outcome.State.ClosedReferralIds);
        Assert.False(outcome.State.AwaitingTriage);
    }

    [Fact]
    public void AReturnWithNowhereToGoQueuesTheContactForTriage()
    {
        var outcome = Specs.Contact()
            .Given(Received(), Referred(HousingReferral))
            .When(new RecordReferralReturned(ContactId, HousingReferral, Router))
            .Then(
                new ContactReferralClosed(ContactId, HousingReferral, ReferralCloseReasons.Returned, Router, Times.Now),
                new QueuedForTriage(ContactId, TriageReasons.ReferralReturned, Router, Times.Now));

        Assert.True(outcome.State.AwaitingTriage);
        Assert.True(outcome.State.HasOwner);
    }

    [Fact]
    public void AReturnWhileOtherReferralsAreOpenOnlyClosesIt() =>
        Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Referred(PovertyReferral, ServiceCodes.PovertySupport))
            .When(new RecordReferralReturned(ContactId, HousingReferral, Router))
            .Then(new ContactReferralClosed(ContactId, HousingReferral, ReferralCloseReasons.Returned, Router, Times.Now));

    [Fact]
    public void ARedeliveredReturnIsANoOp() =>
        Specs.Contact()
            .Given(
                Received(),
                Referred(HousingReferral),
                new ContactReferralClosed(ContactId, HousingReferral, ReferralCloseReasons.Returned, Router, Times.Monday),
                Referred(ReplacementId, ServiceCodes.FrontDoorTriage, PriorityCodes.Urgent))
            .When(new RecordReferralReturned(
                ContactId,
                HousingReferral,
                Router,
                new ReplacementReferral(ReplacementId, ServiceCodes.FrontDoorTriage, PriorityCodes.Urgent, Due)))
            .ThenNothing();

    [Fact]
    public void ACompletedReferralCannotBeReturned() =>
        Specs.Contact()
            .Given(Received(), Referred(HousingReferral), Referred(PovertyReferral, ServiceCodes.PovertySupport), Completed(HousingReferral))
            .When(new RecordReferralReturned(ContactId, HousingReferral, Router))
            .ThenFails("contact.referral-completed");

    [Fact]
    public void ReturningAnUnknownReferralIsAnError() =>
        Specs.Contact()
            .Given(Received())
            .When(new RecordReferralReturned(ContactId, HousingReferral, Router))
            .ThenFails("contact.unknown-referral");
}
