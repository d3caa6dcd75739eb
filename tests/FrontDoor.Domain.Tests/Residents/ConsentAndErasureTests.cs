using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;
using FrontDoor.Domain.Tests.Support;

namespace FrontDoor.Domain.Tests.Residents;

public sealed class ConsentAndErasureTests
{
    private const string Officer = "user:officer-amy";
    private const string Manager = "user:manager-raj";
    private static readonly Guid ResidentId = Guid.Parse("5b0c3b0e-8a53-4f7e-9a77-7d0a3a0f1c11");
    private static readonly Guid ContactId = Guid.Parse("0d3f9c1a-2b44-4a43-8f6e-2f2f7f0c2a22");

    private static ResidentRegistered Registered() =>
        new(ResidentId, "Margaret Jones", new DateOnly(1958, 7, 14), "CH1 1AA", "01244 000000", "mj@example.org", "margaret jones|1958-07-14|CH11AA", Officer, Times.Monday);

    private static ResidentConsentGiven Given(params string[] services) =>
        new(ResidentId, services, [], ConsentMethods.Spoken, ContactId, Officer, Times.Monday);

    [Fact]
    public void ConsentRecordsWhatWithWhomHowAndByWhom()
    {
        var outcome = Specs.Resident()
            .Given(Registered())
            .When(new GiveConsent(ResidentId, [ServiceCodes.Housing, " Early-Help "], ["age-uk-cheshire"], ConsentMethods.Written, ContactId, Officer))
            .Then(new ResidentConsentGiven(ResidentId, [ServiceCodes.Housing, ServiceCodes.EarlyHelp], ["age-uk-cheshire"], ConsentMethods.Written, ContactId, Officer, Times.Now));

        Assert.True(outcome.State.ConsentsTo(ServiceCodes.Housing));
        Assert.True(outcome.State.ConsentsTo(ServiceCodes.EarlyHelp));
        Assert.False(outcome.State.ConsentsTo(ServiceCodes.AdultSocialCare));
        Assert.Contains("age-uk-cheshire", outcome.State.ConsentedPartners);
    }

    [Fact]
    public void Bug_18_a_contacts_yes_gives_consent_to_the_service_it_was_referred_to_and_no_other()
    {
        var outcome = Specs.Resident()
            .Given(Registered())
            .When(new AnswerForReferredServices(ResidentId, ContactId, [ServiceCodes.Housing], true, ConsentMethods.Spoken, Officer))
            .Then(new ResidentConsentGiven(ResidentId, [ServiceCodes.Housing], [], ConsentMethods.Spoken, ContactId, Officer, Times.Now));

        Assert.True(outcome.State.ConsentsTo(ServiceCodes.Housing));
        Assert.False(outcome.State.ConsentsTo(ServiceCodes.PovertySupport));
        Assert.False(outcome.State.ConsentsTo(ServiceCodes.AdultSocialCare));
        Assert.False(outcome.State.ConsentsTo(ServiceCodes.EarlyHelp));
    }

    [Fact]
    public void A_contacts_no_withdraws_consent_from_the_service_it_was_referred_to_and_leaves_the_others() =>
        Specs.Resident()
            .Given(Registered(), Given(ServiceCodes.Housing, ServiceCodes.EarlyHelp))
            .When(new AnswerForReferredServices(ResidentId, ContactId, [ServiceCodes.Housing], false, ConsentMethods.Spoken, Officer))
            .Then(new ResidentConsentWithdrawn(ResidentId, [ServiceCodes.Housing], [], ConsentMethods.Spoken, ContactId, Officer, Times.Now));

    [Fact]
    public void A_contacts_answer_covers_only_services_consent_can_cover() =>
        Specs.Resident()
            .Given(Registered())
            .When(new AnswerForReferredServices(ResidentId, ContactId, [ServiceCodes.FrontDoorTriage], true, ConsentMethods.Spoken, Officer))
            .ThenNothing();

    [Fact]
    public void An_answer_older_than_the_one_on_record_for_a_service_does_not_undo_it_but_still_answers_for_another_service()
    {
        var later = Guid.Parse("7a1e0c55-9d1b-4c7e-8a0d-3b6f5e2d4c33");
        var outcome = Specs.Resident()
            .Given(
                Registered(),
                new ResidentConsentGiven(ResidentId, [ServiceCodes.Housing], [], ConsentMethods.Spoken, later, Officer, Times.Now.AddHours(2)))
            .When(new AnswerForReferredServices(ResidentId, ContactId, [ServiceCodes.Housing, ServiceCodes.PovertySupport], false, ConsentMethods.Spoken, Officer))
            .Then(new ResidentConsentWithdrawn(ResidentId, [ServiceCodes.PovertySupport], [], ConsentMethods.Spoken, ContactId, Officer, Times.Now));

        Assert.True(outcome.State.ConsentsTo(ServiceCodes.Housing));
    }

    [Fact]
    public void A_no_to_a_service_never_consented_to_is_recorded_so_an_older_yes_arriving_late_does_not_undo_it()
    {
        var earlier = Guid.Parse("7a1e0c55-9d1b-4c7e-8a0d-3b6f5e2d4c33");
        var outcome = Specs.Resident()
            .Given(Registered(), new ResidentConsentWithdrawn(ResidentId, [ServiceCodes.Housing], [], ConsentMethods.WebForm, earlier, Officer, Times.Now.AddMinutes(5)))
            .When(new AnswerForReferredServices(ResidentId, ContactId, [ServiceCodes.Housing], true, ConsentMethods.Spoken, Officer))
            .ThenNothing();

        Assert.False(outcome.State.ConsentsTo(ServiceCodes.Housing));
    }

    [Fact]
    public void An_older_answer_that_agrees_with_the_newer_one_is_still_recorded_so_the_history_does_not_depend_on_arrival_order()
    {
        var later = Guid.Parse("7a1e0c55-9d1b-4c7e-8a0d-3b6f5e2d4c33");
        var outcome = Specs.Resident()
            .Given(Registered(), new ResidentConsentGiven(ResidentId, [ServiceCodes.Housing], [], ConsentMethods.WebForm, later, Officer, Times.Now.AddHours(2)))
            .When(new AnswerForReferredServices(ResidentId, ContactId, [ServiceCodes.Housing], true, ConsentMethods.Spoken, Officer))
            .Then(new ResidentConsentGiven(ResidentId, [ServiceCodes.Housing], [], ConsentMethods.Spoken, ContactId, Officer, Times.Now));

        Assert.Equal(Times.Now.AddHours(2), outcome.State.AnsweredAt[ServiceCodes.Housing]);
    }

    [Fact]
    public void A_contacts_answer_about_an_erased_resident_records_nothing() =>
        Specs.Resident()
            .Given(Registered(), new ResidentErased(ResidentId, ErasureBases.Request, "SAR-1", Manager, Times.Monday))
            .When(new AnswerForReferredServices(ResidentId, ContactId, [ServiceCodes.Housing], true, ConsentMethods.Spoken, Officer))
            .ThenNothing();

    [Fact]
    public void ConsentAlreadyHeldIsNotGivenAgain() =>
        Specs.Resident()
            .Given(Registered(), Given(ServiceCodes.Housing, ServiceCodes.EarlyHelp))
            .When(new GiveConsent(ResidentId, [ServiceCodes.Housing], [], ConsentMethods.Spoken, null, Officer))
            .ThenNothing();

    [Fact]
    public void WithdrawalRecordsOnlyWhatWasHeldAndTakesItAway()
    {
        var outcome = Specs.Resident()
            .Given(Registered(), Given(ServiceCodes.Housing, ServiceCodes.EarlyHelp))
            .When(new WithdrawConsent(ResidentId, [ServiceCodes.Housing, ServiceCodes.PovertySupport], [], ConsentMethods.WebForm, null, Officer))
            .Then(new ResidentConsentWithdrawn(ResidentId, [ServiceCodes.Housing], [], ConsentMethods.WebForm, null, Officer, Times.Now));

        Assert.False(outcome.State.ConsentsTo(ServiceCodes.Housing));
        Assert.True(outcome.State.ConsentsTo(ServiceCodes.EarlyHelp));
    }

    [Fact]
    public void WithdrawingConsentNeverGivenChangesNothing() =>
        Specs.Resident()
            .Given(Registered())
            .When(new WithdrawConsent(ResidentId, [ServiceCodes.Housing], [], ConsentMethods.Spoken, null, Officer))
            .ThenNothing();

    [Theory]
    [InlineData("front-door-triage", "consent.unknown-service")]
    [InlineData("parking", "consent.unknown-service")]
    public void ConsentCoversOnlyServicesThatReceiveReferrals(string service, string code) =>
        Specs.Resident().Given(Registered()).When(new GiveConsent(ResidentId, [service], [], ConsentMethods.Spoken, null, Officer)).ThenFails(code);

    [Fact]
    public void ConsentNamesSomeoneToShareWith() =>
        Specs.Resident().Given(Registered()).When(new GiveConsent(ResidentId, [], [], ConsentMethods.Spoken, null, Officer)).ThenFails("consent.scope-required");

    [Fact]
    public void ConsentSaysHowItWasObtained() =>
        Specs.Resident().Given(Registered()).When(new GiveConsent(ResidentId, [ServiceCodes.Housing], [], "telepathy", null, Officer)).ThenFails("consent.unknown-method");

    [Fact]
    public void APartnerIsADirectoryCode() =>
        Specs.Resident().Given(Registered()).When(new GiveConsent(ResidentId, [], ["age uk; drop table"], ConsentMethods.Spoken, null, Officer)).ThenFails("consent.invalid-partner");

    [Fact]
    public void ErasureRecordsWhoWhenAndWhyAndClearsTheDetailsAndConsent()
    {
        var outcome = Specs.Resident()
            .Given(Registered(), Given(ServiceCodes.Housing))
            .When(new EraseResident(ResidentId, ErasureBases.Request, "  SAR-2026-0042 ", Manager))
            .Then(new ResidentErased(ResidentId, ErasureBases.Request, "SAR-2026-0042", Manager, Times.Now));

        Assert.True(outcome.State.Erased);
        Assert.Null(outcome.State.Name);
        Assert.Null(outcome.State.DateOfBirth);
        Assert.Null(outcome.State.Phone);
        Assert.Null(outcome.State.Email);
        Assert.Null(outcome.State.MatchKey);
        Assert.False(outcome.State.ConsentsTo(ServiceCodes.Housing));
    }

    [Fact]
    public void ErasingTwiceRecordsItOnce() =>
        Specs.Resident()
            .Given(Registered(), new ResidentErased(ResidentId, ErasureBases.Request, "SAR-1", Manager, Times.Monday))
            .When(new EraseResident(ResidentId, ErasureBases.Request, "SAR-1", Manager))
            .ThenNothing();

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void AnErasureNeedsNoReference(string? reference) =>
        Specs.Resident()
            .Given(Registered())
            .When(new EraseResident(ResidentId, ErasureBases.RecordedInError, reference, Manager))
            .Then(new ResidentErased(ResidentId, ErasureBases.RecordedInError, null, Manager, Times.Now));

    [Theory]
    [InlineData("Mrs Quarmby rang and asked")]
    [InlineData("p.quarmby@example.org")]
    [InlineData("-SAR-2026")]
    [InlineData("SAR-2026-0042-AAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Bug_20_an_erasure_reference_is_a_code_never_free_text(string reference) =>
        Specs.Resident().Given(Registered()).When(new EraseResident(ResidentId, ErasureBases.Request, reference, Manager)).ThenFails("erasure.reference-not-a-code");

    [Theory]
    [InlineData(ErasureBases.Request)]
    [InlineData(ErasureBases.Retention)]
    [InlineData(ErasureBases.RecordedInError)]
    [InlineData(ErasureBases.OtherLegalBasis)]
    public void Bug_20_an_erasure_records_its_basis_as_a_code(string basis) =>
        Specs.Resident()
            .Given(Registered())
            .When(new EraseResident(ResidentId, basis, "SAR-2026-0042", Manager))
            .Then(new ResidentErased(ResidentId, basis, "SAR-2026-0042", Manager, Times.Now));

    [Fact]
    public void AnErasureHasAKnownBasis() =>
        Specs.Resident().Given(Registered()).When(new EraseResident(ResidentId, "because she asked", null, Manager)).ThenFails("erasure.unknown-basis");

    [Fact]
    public void NothingMoreIsRecordedAboutAnErasedResident() =>
        Specs.Resident()
            .Given(Registered(), new ResidentErased(ResidentId, ErasureBases.Retention, null, "system:retention", Times.Monday))
            .When(new GiveConsent(ResidentId, [ServiceCodes.Housing], [], ConsentMethods.Spoken, null, Officer))
            .ThenFails("resident.erased");

    [Fact]
    public void AContactRacingTheErasureIsNotLinked() =>
        Specs.Resident()
            .Given(Registered(), new ResidentErased(ResidentId, ErasureBases.Request, "SAR-1", Manager, Times.Monday))
            .When(new LinkContact(ResidentId, ContactId, ChannelCodes.Phone, Officer))
            .ThenNothing();

    [Fact]
    public void AnErasedRecordIsNotRegisteredAgain() =>
        Specs.Resident()
            .Given(Registered(), new ResidentErased(ResidentId, ErasureBases.Request, "SAR-1", Manager, Times.Monday))
            .When(new RegisterResident(ResidentId, "Margaret Jones", new DateOnly(1958, 7, 14), "CH1 1AA", null, null, Officer))
            .ThenFails("resident.erased");

    [Fact]
    public void A_person_returning_after_erasure_gets_a_new_record_that_every_front_door_agrees_on()
    {
        var next = ResidentIdentity.AfterErasure(ResidentId);

        Assert.NotEqual(ResidentId, next);
        Assert.Equal(next, ResidentIdentity.AfterErasure(ResidentId));
        Assert.NotEqual(next, ResidentIdentity.AfterErasure(next));
    }
}
