using FrontDoor.Domain.Referrals;
using FrontDoor.Domain.Tests.Support;

namespace FrontDoor.Domain.Tests.Referrals;

public sealed class ReferralDeciderTests
{
    private const string Router = "system:router";
    private const string Worker = "user:housing-bob";
    private const string OtherWorker = "user:housing-cat";
    private const string Manager = "user:manager-dee";

    private static readonly Guid ReferralId = Guid.Parse("b0000000-0000-4000-8000-000000000001");
    private static readonly Guid ContactId = Guid.Parse("c0000000-0000-4000-8000-000000000001");
    private static readonly DateTimeOffset DueAt = Times.Monday.AddHours(24);

    private static ReferralRaised Raised(string service = ServiceCodes.Housing) =>
        new(ReferralId, ContactId, null, service, PriorityCodes.Urgent, DueAt, "need:homelessness", [NeedCodes.Homelessness], null, Router, Times.Monday);

    private static ReferralClaimed Claimed(string by = Worker) => new(ReferralId, ContactId, by, by, Times.Monday);

    private static ReferralAccepted Accepted() => new(ReferralId, ContactId, Worker, Times.Monday);

    private static ReferralCompleted Completed() => new(ReferralId, ContactId, null, "Tenancy sustained", Worker, Times.Monday);

    private static ReferralReturned Returned() =>
        new(ReferralId, ContactId, null, ServiceCodes.Housing, "Not a housing matter", null, Worker, Times.Monday);

    private static RaiseReferral Raise(string service = ServiceCodes.Housing, string priority = PriorityCodes.Urgent, string rule = "need:homelessness") =>
        new(ReferralId, ContactId, null, service, priority, DueAt, rule, [" Homelessness "], null, Router);

    [Fact]
    public void RaisingRecordsWhyAndWhenItIsDue()
    {
        var outcome = Specs.Referral().When(Raise()).Then(Raised() with { At = Times.Now });

        Assert.Equal(ReferralStatus.Raised, outcome.State.Status);
        Assert.Equal(DueAt, outcome.State.DueAt);
        Assert.Equal("need:homelessness", outcome.State.Rule);
        Assert.False(outcome.State.IsOverdue);
    }

    [Fact]
    public void ARaisedReferralCanPointAtTheOneItReplaces()
    {
        var previous = Guid.Parse("b0000000-0000-4000-8000-000000000009");

        var outcome = Specs.Referral()
            .When(Raise(ServiceCodes.FrontDoorTriage, rule: "returned-from:housing") with { PreviousReferralId = previous });

        Assert.Equal(previous, outcome.State.PreviousReferralId);
        Assert.Equal("returned-from:housing", outcome.State.Rule);
    }

    private static readonly Guid NoteId = Guid.Parse("d0000000-0000-4000-8000-000000000001");

    [Fact]
    public void ANoteOnTheCaseKeepsItsTextWriterAndTimeSealedUnderTheContactsSubject()
    {
        var outcome = Specs.Referral()
            .Given(Raised(), Claimed())
            .When(new AddCaseNote(ReferralId, NoteId, "  Rang the landlord; visit booked for Friday.  ", Worker))
            .Then(new ReferralNoteAdded(ReferralId, ContactId, null, NoteId, "Rang the landlord; visit booked for Friday.", Worker, Times.Now));

        var note = Assert.Single(outcome.State.Notes);
        Assert.Equal((NoteId, "Rang the landlord; visit booked for Friday.", Worker), (note.NoteId, note.Text, note.By));
        Assert.Equal(ContactId, ((IPersonalDataEvent)outcome.Events.Single()).DataSubjectId());
    }

    [Fact]
    public void TheSameNoteSentAgainIsRecordedOnce()
    {
        Specs.Referral()
            .Given(Raised(), new ReferralNoteAdded(ReferralId, ContactId, null, NoteId, "Visit booked.", Worker, Times.Monday))
            .When(new AddCaseNote(ReferralId, NoteId, "Visit booked.", Worker))
            .ThenNothing();
    }

    [Fact]
    public void ACompletedCaseStillTakesNotesButAReturnedOneSendsThemToItsReplacement()
    {
        Specs.Referral()
            .Given(Raised(), Claimed(), Accepted(), Completed())
            .When(new AddCaseNote(ReferralId, NoteId, "Resident rang to say thank you.", Worker))
            .Then(new ReferralNoteAdded(ReferralId, ContactId, null, NoteId, "Resident rang to say thank you.", Worker, Times.Now));

        Specs.Referral()
            .Given(Raised(), Claimed(), Returned())
            .When(new AddCaseNote(ReferralId, NoteId, "Too late.", Worker))
            .ThenFails("referral.returned");
    }

    [Fact]
    public void ANoteWithoutTextIsRefused()
    {
        Specs.Referral().Given(Raised()).When(new AddCaseNote(ReferralId, NoteId, "   ", Worker)).ThenFails("referral.note-required");
    }

    private static readonly Guid LaterContactId = Guid.Parse("c0000000-0000-4000-8000-000000000002");

    [Fact]
    public void Bug_18_ALaterContactFromTheResidentJoinsTheOpenReferralWithItsNeeds()
    {
        var outcome = Specs.Referral()
            .Given(Raised(), Claimed())
            .When(new AttachContact(ReferralId, LaterContactId, [NeedCodes.HousingAdvice], Router))
            .Then(new ReferralContactAttached(ReferralId, ContactId, LaterContactId, [NeedCodes.HousingAdvice], Router, Times.Now));

        Assert.Equal([LaterContactId], outcome.State.AttachedContactIds);
        Assert.Equal([NeedCodes.Homelessness, NeedCodes.HousingAdvice], outcome.State.Needs);
        Assert.Equal((ReferralStatus.Claimed, Worker), (outcome.State.Status, outcome.State.ClaimedBy));
    }

    [Fact]
    public void AContactJoinsAReferralOnceAndTheContactItWasRaisedForNever()
    {
        Specs.Referral()
            .Given(Raised(), new ReferralContactAttached(ReferralId, ContactId, LaterContactId, [], Router, Times.Monday))
            .When(new AttachContact(ReferralId, LaterContactId, [NeedCodes.HousingAdvice], Router))
            .ThenNothing();
        Specs.Referral().Given(Raised()).When(new AttachContact(ReferralId, ContactId, [], Router)).ThenNothing();
    }

    [Fact]
    public void NoContactJoinsAFinishedReferral()
    {
        Specs.Referral().Given(Raised(), Claimed(), Accepted(), Completed()).When(new AttachContact(ReferralId, LaterContactId, [], Router)).ThenNothing();
        Specs.Referral().Given(Raised(), Claimed(), Returned()).When(new AttachContact(ReferralId, LaterContactId, [], Router)).ThenNothing();
    }

    [Fact]
    public void AReplacementKeepsTheContactsThatJoinedTheReferralItReplaces()
    {
        var outcome = Specs.Referral().When(Raise() with { AttachedContactIds = [LaterContactId, LaterContactId] });

        Assert.Equal([LaterContactId], outcome.State.AttachedContactIds);
    }

    [Fact]
    public void RaisingTwiceIsAnError() =>
        Specs.Referral().Given(Raised()).When(Raise()).ThenFails("referral.already-raised");

    [Fact]
    public void RaisingToAnUnknownServiceIsAnError() =>
        Specs.Referral().When(Raise(service: "parks")).ThenFails("referral.unknown-service");

    [Fact]
    public void RaisingWithAnUnknownPriorityIsAnError() =>
        Specs.Referral().When(Raise(priority: "asap")).ThenFails("referral.unknown-priority");

    [Fact]
    public void RaisingWithoutARuleIsAnError() =>
        Specs.Referral().When(Raise(rule: "")).ThenFails("referral.rule-required");

    [Fact]
    public void RaisingWithoutAContactIsAnError() =>
        Specs.Referral().When(Raise() with { ContactId = Guid.Empty }).ThenFails("referral.contact-required");

    [Fact]
    public void CommandsForAnUnraisedReferralAreErrors() =>
        Specs.Referral().When(new ClaimReferral(ReferralId, Worker)).ThenFails("referral.not-found");

    [Fact]
    public void ClaimingAssignsTheWorker()
    {
        var outcome = Specs.Referral()
            .Given(Raised())
            .When(new ClaimReferral(ReferralId, Worker))
            .Then(new ReferralClaimed(ReferralId, ContactId, Worker, Worker, Times.Now));

        Assert.Equal(ReferralStatus.Claimed, outcome.State.Status);
        Assert.Equal(Worker, outcome.State.ClaimedBy);
    }

    [Fact]
    public void ClaimingAgainBySameWorkerIsANoOp() =>
        Specs.Referral().Given(Raised(), Claimed()).When(new ClaimReferral(ReferralId, Worker)).ThenNothing();

    [Fact]
    public void ClaimingSomeoneElsesReferralIsAnError()
    {
        var error = Specs.Referral().Given(Raised(), Claimed()).When(new ClaimReferral(ReferralId, OtherWorker)).ThenFails("referral.already-claimed");

        Assert.Contains(Worker, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClaimingAnAcceptedReferralBySomeoneElseIsAnError() =>
        Specs.Referral().Given(Raised(), Claimed(), Accepted()).When(new ClaimReferral(ReferralId, OtherWorker)).ThenFails("referral.already-claimed");

    [Fact]
    public void ClaimingACompletedReferralIsAnError() =>
        Specs.Referral().Given(Raised(), Claimed(), Completed()).When(new ClaimReferral(ReferralId, OtherWorker)).ThenFails("referral.completed");

    [Fact]
    public void ClaimingAReturnedReferralIsAnError() =>
        Specs.Referral().Given(Raised(), Returned()).When(new ClaimReferral(ReferralId, Worker)).ThenFails("referral.returned");

    [Fact]
    public void AcceptingBeforeClaimingIsAnError() =>
        Specs.Referral().Given(Raised()).When(new AcceptReferral(ReferralId, Worker)).ThenFails("referral.not-claimed");

    [Fact]
    public void AcceptingAClaimedReferral()
    {
        var outcome = Specs.Referral()
            .Given(Raised(), Claimed())
            .When(new AcceptReferral(ReferralId, Worker))
            .Then(new ReferralAccepted(ReferralId, ContactId, Worker, Times.Now));

        Assert.Equal(ReferralStatus.Accepted, outcome.State.Status);
    }

    [Fact]
    public void AcceptingTwiceIsANoOp() =>
        Specs.Referral().Given(Raised(), Claimed(), Accepted()).When(new AcceptReferral(ReferralId, Worker)).ThenNothing();

    [Fact]
    public void AcceptingACompletedReferralIsAnError() =>
        Specs.Referral().Given(Raised(), Claimed(), Completed()).When(new AcceptReferral(ReferralId, Worker)).ThenFails("referral.completed");

    [Fact]
    public void CompletingBeforeClaimingIsAnError() =>
        Specs.Referral().Given(Raised()).When(new CompleteReferral(ReferralId, "Done", Worker)).ThenFails("referral.not-claimed");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CompletingAClaimedOrAcceptedReferral(bool accepted)
    {
        var given = accepted ? new object[] { Raised(), Claimed(), Accepted() } : [Raised(), Claimed()];

        var outcome = Specs.Referral()
            .Given(given)
            .When(new CompleteReferral(ReferralId, " Tenancy sustained ", Worker))
            .Then(new ReferralCompleted(ReferralId, ContactId, null, "Tenancy sustained", Worker, Times.Now));

        Assert.Equal(ReferralStatus.Completed, outcome.State.Status);
        Assert.Equal("Tenancy sustained", outcome.State.Outcome);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void CompletingNeedsAnOutcome(string outcome) =>
        Specs.Referral().Given(Raised(), Claimed()).When(new CompleteReferral(ReferralId, outcome, Worker)).ThenFails("referral.outcome-required");

    [Fact]
    public void CompletingTwiceIsANoOp() =>
        Specs.Referral().Given(Raised(), Claimed(), Completed()).When(new CompleteReferral(ReferralId, "Again", Worker)).ThenNothing();

    [Fact]
    public void CompletingAReturnedReferralIsAnError() =>
        Specs.Referral().Given(Raised(), Claimed(), Returned()).When(new CompleteReferral(ReferralId, "Done", Worker)).ThenFails("referral.returned");

    [Fact]
    public void ReturningWithASuggestion()
    {
        var outcome = Specs.Referral()
            .Given(Raised(), Claimed())
            .When(new ReturnReferral(ReferralId, "Debt is the real issue", ServiceCodes.PovertySupport, Worker))
            .Then(new ReferralReturned(ReferralId, ContactId, null, ServiceCodes.Housing, "Debt is the real issue", ServiceCodes.PovertySupport, Worker, Times.Now));

        Assert.Equal(ReferralStatus.Returned, outcome.State.Status);
        Assert.True(outcome.State.IsFinished);
        Assert.Equal(ServiceCodes.PovertySupport, outcome.State.SuggestedService);
    }

    [Fact]
    public void ReturningWithoutASuggestionIsAllowedStraightFromRaised() =>
        Specs.Referral()
            .Given(Raised())
            .When(new ReturnReferral(ReferralId, "Not for us", "  ", Worker))
            .Then(new ReferralReturned(ReferralId, ContactId, null, ServiceCodes.Housing, "Not for us", null, Worker, Times.Now));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ReturningNeedsAReason(string reason) =>
        Specs.Referral().Given(Raised(), Claimed()).When(new ReturnReferral(ReferralId, reason, null, Worker)).ThenFails("referral.reason-required");

    [Fact]
    public void ReturningToTheSameServiceIsAnError() =>
        Specs.Referral()
            .Given(Raised(), Claimed())
            .When(new ReturnReferral(ReferralId, "Wrong team", ServiceCodes.Housing, Worker))
            .ThenFails("referral.same-service");

    [Fact]
    public void ReturningToAnUnknownServiceIsAnError() =>
        Specs.Referral()
            .Given(Raised())
            .When(new ReturnReferral(ReferralId, "Wrong team", "parks", Worker))
            .ThenFails("referral.unknown-service");

    [Fact]
    public void ReturningTwiceIsAnError() =>
        Specs.Referral().Given(Raised(), Returned()).When(new ReturnReferral(ReferralId, "Again", null, Worker)).ThenFails("referral.returned");

    [Fact]
    public void ReturningACompletedReferralIsAnError() =>
        Specs.Referral().Given(Raised(), Claimed(), Completed()).When(new ReturnReferral(ReferralId, "Oops", null, Worker)).ThenFails("referral.completed");

    [Fact]
    public void TheFrontDoorCannotReturnWorkWithoutSayingWhereItGoes() =>
        Specs.Referral()
            .Given(Raised(ServiceCodes.FrontDoorTriage))
            .When(new ReturnReferral(ReferralId, "Not sure", null, Worker))
            .ThenFails("referral.front-door-must-suggest");

    [Fact]
    public void TheFrontDoorCanPassWorkToANamedService() =>
        Specs.Referral()
            .Given(Raised(ServiceCodes.FrontDoorTriage))
            .When(new ReturnReferral(ReferralId, "Carer needs assessment", ServiceCodes.AdultSocialCare, Worker))
            .Then(new ReferralReturned(ReferralId, ContactId, null, ServiceCodes.FrontDoorTriage, "Carer needs assessment", ServiceCodes.AdultSocialCare, Worker, Times.Now));

    [Fact]
    public void MarkingOverdueBeforeTheDueTimeIsANoOp() =>
        Specs.Referral().Given(Raised()).At(DueAt.AddMinutes(-1)).When(new MarkReferralOverdue(ReferralId, "system:clock")).ThenNothing();

    [Fact]
    public void MarkingOverdueAtTheDueTimeFlagsItWithoutChangingStatus()
    {
        var outcome = Specs.Referral()
            .Given(Raised(), Claimed())
            .At(DueAt)
            .When(new MarkReferralOverdue(ReferralId, "system:clock"))
            .Then(new ReferralOverdue(ReferralId, ContactId, DueAt, "system:clock", DueAt));

        Assert.True(outcome.State.IsOverdue);
        Assert.Equal(ReferralStatus.Claimed, outcome.State.Status);
    }

    [Fact]
    public void MarkingOverdueTwiceIsANoOp() =>
        Specs.Referral()
            .Given(Raised(), new ReferralOverdue(ReferralId, ContactId, DueAt, "system:clock", DueAt))
            .At(DueAt.AddDays(3))
            .When(new MarkReferralOverdue(ReferralId, "system:clock"))
            .ThenNothing();

    [Fact]
    public void ACompletedReferralIsNeverOverdue() =>
        Specs.Referral().Given(Raised(), Claimed(), Completed()).At(DueAt.AddDays(3)).When(new MarkReferralOverdue(ReferralId, "system:clock")).ThenNothing();

    [Fact]
    public void AReturnedReferralIsNeverOverdue() =>
        Specs.Referral().Given(Raised(), Returned()).At(DueAt.AddDays(3)).When(new MarkReferralOverdue(ReferralId, "system:clock")).ThenNothing();

    [Fact]
    public void AnOverdueReferralCanStillBeCompleted() =>
        Specs.Referral()
            .Given(Raised(), Claimed(), new ReferralOverdue(ReferralId, ContactId, DueAt, "system:clock", DueAt))
            .When(new CompleteReferral(ReferralId, "Late but done", Worker))
            .Then(new ReferralCompleted(ReferralId, ContactId, null, "Late but done", Worker, Times.Now));

    [Fact]
    public void AManagerCanReassignAndTheNewServiceMustClaimAfresh()
    {
        var outcome = Specs.Referral()
            .Given(Raised(), Claimed())
            .When(new ReassignReferral(ReferralId, ServiceCodes.PovertySupport, Manager))
            .Then(new ReferralReassigned(ReferralId, ContactId, ServiceCodes.Housing, ServiceCodes.PovertySupport, Manager, Manager, Times.Now));

        Assert.Equal(ServiceCodes.PovertySupport, outcome.State.Service);
        Assert.Equal(ReferralStatus.Raised, outcome.State.Status);
        Assert.Null(outcome.State.ClaimedBy);
        Assert.Equal(DueAt, outcome.State.DueAt);
    }

    [Fact]
    public void ReassigningToTheSameServiceIsAnError() =>
        Specs.Referral().Given(Raised()).When(new ReassignReferral(ReferralId, ServiceCodes.Housing, Manager)).ThenFails("referral.same-service");

    [Fact]
    public void ReassigningToAnUnknownServiceIsAnError() =>
        Specs.Referral().Given(Raised()).When(new ReassignReferral(ReferralId, "parks", Manager)).ThenFails("referral.unknown-service");

    [Fact]
    public void ReassigningACompletedReferralIsAnError() =>
        Specs.Referral().Given(Raised(), Claimed(), Completed()).When(new ReassignReferral(ReferralId, ServiceCodes.EarlyHelp, Manager)).ThenFails("referral.completed");

    [Theory]
    [InlineData("accept")]
    [InlineData("complete")]
    [InlineData("return")]
    public void Bug_20_a_team_mate_cannot_act_on_a_referral_another_claimed(string action)
    {
        var refused = Specs.Referral().Given(Raised(), Claimed(Worker)).When(Act(action, OtherWorker)).ThenFails("referral.claimed-by-another");

        Assert.Contains(Worker, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("complete")]
    [InlineData("return")]
    public void Bug_20_a_team_mate_cannot_finish_work_the_holder_accepted(string action) =>
        Specs.Referral().Given(Raised(), Claimed(Worker), Accepted()).When(Act(action, OtherWorker)).ThenFails("referral.claimed-by-another");

    [Fact]
    public void Bug_20_a_team_mate_repeating_a_completion_is_told_whose_work_it_was() =>
        Specs.Referral().Given(Raised(), Claimed(Worker), Completed()).When(Act("complete", OtherWorker)).ThenFails("referral.claimed-by-another");

    [Theory]
    [InlineData("accept")]
    [InlineData("complete")]
    [InlineData("return")]
    public void Bug_20_the_holder_still_acts_on_their_own_claim(string action) =>
        Assert.Single(Specs.Referral().Given(Raised(), Claimed(Worker)).When(Act(action, Worker)).Events);

    [Fact]
    public void Bug_20_after_a_reassignment_releases_the_claim_the_new_holder_acts() =>
        Assert.Single(Specs.Referral()
            .Given(Raised(), Claimed(Worker), new ReferralReassigned(ReferralId, ContactId, ServiceCodes.Housing, ServiceCodes.PovertySupport, Manager, Manager, Times.Monday), Claimed(OtherWorker))
            .When(Act("complete", OtherWorker))
            .Events);

    [Fact]
    public void Bug_20_a_referral_names_its_contacts_resident_so_what_staff_write_is_sealed_under_them()
    {
        var residentId = Guid.Parse("e0000000-0000-4000-8000-000000000001");
        var raised = Specs.Referral().When(Raise() with { ResidentId = residentId }).Then(Raised() with { ResidentId = residentId, At = Times.Now });
        Assert.Equal(residentId, raised.State.ResidentId);

        var completed = Specs.Referral()
            .Given(Raised() with { ResidentId = residentId }, Claimed())
            .When(new CompleteReferral(ReferralId, "Tenancy sustained", Worker))
            .Then(new ReferralCompleted(ReferralId, ContactId, residentId, "Tenancy sustained", Worker, Times.Now));
        var returned = Specs.Referral()
            .Given(Raised(), Claimed())
            .When(new ReturnReferral(ReferralId, "Not a housing matter", null, Worker))
            .Events.OfType<ReferralReturned>().Single();

        Assert.Equal(residentId, completed.Events.OfType<ReferralCompleted>().Single().DataSubjectId());
        Assert.Equal(ContactId, returned.DataSubjectId());
    }

    private static ReferralAssigned Assigned(string to, string? from = null, string by = Manager) => new(ReferralId, ContactId, to, from, by, Times.Monday);

    [Fact]
    public void A_manager_assigns_unheld_work_to_a_named_worker_who_then_holds_it()
    {
        Specs.Referral()
            .Given(Raised())
            .When(new AssignReferral(ReferralId, Worker, Manager) { ByManager = true })
            .Then(new ReferralAssigned(ReferralId, ContactId, Worker, null, Manager, Times.Now));

        var state = ReferralDecider.Fold([Raised(), Assigned(Worker)]);
        Assert.Equal((ReferralStatus.Claimed, Worker, Times.Monday), (state.Status, state.ClaimedBy, state.HeldSince));
    }

    [Fact]
    public void A_manager_hands_work_someone_holds_to_another_worker_and_accepted_work_stays_accepted()
    {
        Specs.Referral()
            .Given(Raised(), Claimed(Worker), Accepted())
            .When(new AssignReferral(ReferralId, OtherWorker, Manager) { ByManager = true })
            .Then(new ReferralAssigned(ReferralId, ContactId, OtherWorker, Worker, Manager, Times.Now));

        var state = ReferralDecider.Fold([Raised(), Claimed(Worker), Accepted(), Assigned(OtherWorker, Worker)]);
        Assert.Equal((ReferralStatus.Accepted, OtherWorker), (state.Status, state.ClaimedBy));
    }

    [Fact]
    public void A_worker_hands_their_own_work_to_a_colleague() =>
        Specs.Referral()
            .Given(Raised(), Claimed(Worker))
            .When(new AssignReferral(ReferralId, OtherWorker, Worker))
            .Then(new ReferralAssigned(ReferralId, ContactId, OtherWorker, Worker, Worker, Times.Now));

    [Fact]
    public void A_worker_cannot_hand_on_work_a_colleague_holds_and_is_told_who_holds_it()
    {
        var refused = Specs.Referral()
            .Given(Raised(), Claimed(OtherWorker))
            .When(new AssignReferral(ReferralId, Worker, Worker))
            .ThenFails("referral.claimed-by-another");

        Assert.Equal(OtherWorker, refused.Actors["holder"]);
    }

    [Fact]
    public void Assigning_to_whoever_already_holds_it_changes_nothing() =>
        Specs.Referral().Given(Raised(), Assigned(Worker)).When(new AssignReferral(ReferralId, Worker, Manager) { ByManager = true }).ThenNothing();

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Assigning_needs_someone_to_assign_to(string assignee) =>
        Specs.Referral().Given(Raised()).When(new AssignReferral(ReferralId, assignee, Manager) { ByManager = true }).ThenFails("referral.assignee-required");

    [Fact]
    public void Finished_work_is_not_assigned()
    {
        Specs.Referral().Given(Raised(), Claimed(), Completed()).When(new AssignReferral(ReferralId, OtherWorker, Manager) { ByManager = true }).ThenFails("referral.completed");
        Specs.Referral().Given(Raised(), Claimed(), Returned()).When(new AssignReferral(ReferralId, OtherWorker, Manager) { ByManager = true }).ThenFails("referral.returned");
    }

    [Theory]
    [InlineData("accept")]
    [InlineData("complete")]
    [InlineData("return")]
    public void A_manager_may_act_on_work_someone_else_holds(string action) =>
        Assert.Single(Specs.Referral().Given(Raised(), Claimed(Worker)).When(Act(action, Manager) with { ByManager = true }).Events);

    [Fact]
    public void The_assignee_holds_the_work_so_their_predecessor_no_longer_may_act_on_it() =>
        Specs.Referral().Given(Raised(), Claimed(Worker), Assigned(OtherWorker, Worker)).When(Act("complete", Worker)).ThenFails("referral.claimed-by-another");

    private static ReferralCommand Act(string action, string actor) => action switch
    {
        "accept" => new AcceptReferral(ReferralId, actor),
        "complete" => new CompleteReferral(ReferralId, "Repairs chased with the landlord", actor),
        "return" => new ReturnReferral(ReferralId, "Needs a tenancy officer", null, actor),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    [Fact]
    public void VersionCountsEveryEvent() =>
        Assert.Equal(3, ReferralDecider.Fold([Raised(), Claimed(), Accepted()]).Version);
}
