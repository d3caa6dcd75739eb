using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;
using FrontDoor.Domain.Tests.Support;

namespace FrontDoor.Domain.Tests.Residents;

/// <summary>Two records of one person: one takes the other in, the other says where the person is held now.</summary>
public sealed class MergingResidentsTests
{
    private const string Manager = "user:manager-dee";
    private const string Reason = "Same phone number; the resident confirmed the old address.";
    private static readonly Guid Keep = Guid.Parse("a0000000-0000-4000-8000-000000000001");
    private static readonly Guid Duplicate = Guid.Parse("a0000000-0000-4000-8000-000000000002");
    private static readonly Guid Other = Guid.Parse("a0000000-0000-4000-8000-000000000003");

    private static ResidentRegistered Registered(Guid id) => new(id, "Rhian Pugh", null, null, "07700 900111", null, null, Manager, Times.Monday);

    [Fact]
    public void Bug_18_TheRecordKeptTakesTheOtherInWithTheReason()
    {
        var outcome = Specs.Resident()
            .Given(Registered(Keep))
            .When(new AbsorbResident(Keep, Duplicate, $" {Reason} ", Manager))
            .Then(new ResidentMerged(Keep, Duplicate, Reason, Manager, Times.Now));

        Assert.Equal([Duplicate], outcome.State.MergedResidentIds);
    }

    [Fact]
    public void Bug_18_TheOtherRecordSaysWhereThePersonIsHeldAndTakesNoOtherChange()
    {
        var outcome = Specs.Resident()
            .Given(Registered(Duplicate))
            .When(new MergeIntoResident(Duplicate, Keep, Reason, Manager))
            .Then(new ResidentMergedInto(Duplicate, Keep, Reason, Manager, Times.Now));

        Assert.Equal(Keep, outcome.State.MergedInto);
        Specs.Resident().Given(Registered(Duplicate), new ResidentMergedInto(Duplicate, Keep, Reason, Manager, Times.Monday))
            .When(new GiveConsent(Duplicate, [ServiceCodes.Housing], [], ConsentMethods.Spoken, null, Manager))
            .ThenFails("resident.merged");
    }

    [Fact]
    public void MergingAgainIsANoOpAndElsewhereIsRefused()
    {
        var merged = new ResidentMergedInto(Duplicate, Keep, Reason, Manager, Times.Monday);
        Specs.Resident().Given(Registered(Duplicate), merged).When(new MergeIntoResident(Duplicate, Keep, Reason, Manager)).ThenNothing();
        Specs.Resident().Given(Registered(Duplicate), merged).When(new MergeIntoResident(Duplicate, Other, Reason, Manager)).ThenFails("resident.already-merged");
        Specs.Resident().Given(Registered(Keep), new ResidentMerged(Keep, Duplicate, Reason, Manager, Times.Monday)).When(new AbsorbResident(Keep, Duplicate, Reason, Manager)).ThenNothing();
    }

    [Fact]
    public void ARecordThatTookOthersInIsNotMergedAwayAndNoRecordIntoItself()
    {
        Specs.Resident().Given(Registered(Keep), new ResidentMerged(Keep, Duplicate, Reason, Manager, Times.Monday))
            .When(new MergeIntoResident(Keep, Other, Reason, Manager)).ThenFails("resident.has-merged-records");
        Specs.Resident().Given(Registered(Keep)).When(new AbsorbResident(Keep, Keep, Reason, Manager)).ThenFails("resident.merge-self");
        Specs.Resident().Given(Registered(Keep)).When(new MergeIntoResident(Keep, Keep, Reason, Manager)).ThenFails("resident.merge-self");
    }

    [Fact]
    public void AMergeNeedsAReasonAndNeverTouchesAnErasedRecord()
    {
        Specs.Resident().Given(Registered(Keep)).When(new AbsorbResident(Keep, Duplicate, "  ", Manager)).ThenFails("resident.merge-reason-required");
        Specs.Resident().Given(Registered(Duplicate), new ResidentErased(Duplicate, ErasureBases.Request, null, Manager, Times.Monday))
            .When(new MergeIntoResident(Duplicate, Keep, Reason, Manager)).ThenFails("resident.erased");
    }

    [Fact]
    public void AContactRacingTheMergeStillLinksToTheMergedRecord()
    {
        var contact = Guid.Parse("c0000000-0000-4000-8000-000000000009");
        var outcome = Specs.Resident()
            .Given(Registered(Duplicate), new ResidentMergedInto(Duplicate, Keep, Reason, Manager, Times.Monday))
            .When(new LinkContact(Duplicate, contact, ChannelCodes.Phone, Manager));

        Assert.Equal([contact], outcome.State.ContactIds);
        Assert.Equal(Keep, outcome.State.MergedInto);
    }
}
