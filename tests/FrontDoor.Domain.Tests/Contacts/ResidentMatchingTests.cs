using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Tests.Support;
using static FrontDoor.Domain.Tests.Contacts.ContactData;

namespace FrontDoor.Domain.Tests.Contacts;

/// <summary>An unverified contact only suggests the resident its details match; staff confirm it, once.</summary>
public sealed class ResidentMatchingTests
{
    private static readonly Guid OwnRecord = Guid.Parse("b0000000-0000-4000-8000-000000000001");
    private static readonly Guid KnownResident = Guid.Parse("b0000000-0000-4000-8000-000000000002");
    private static readonly Guid SomeoneElse = Guid.Parse("b0000000-0000-4000-8000-000000000003");

    private static ContactReceived WebContact() =>
        new(ContactId, ChannelCodes.Web, null, OwnRecord, "Please ring me.", [], true, "resident:web-form", Times.Monday, ClaimedResidentId: KnownResident);

    [Fact]
    public void AMatchIsSuggestedWithoutLinkingAnything()
    {
        var outcome = Specs.Contact()
            .Given(WebContact())
            .When(new SuggestResident(ContactId, KnownResident, Officer))
            .Then(new ContactResidentSuggested(ContactId, KnownResident, Officer, Times.Now));

        Assert.Equal(OwnRecord, outcome.State.ResidentId);
        Assert.Equal(OwnRecord, outcome.State.ResidentOfRecord);
        Assert.Null(outcome.State.ConfirmedResidentId);
    }

    [Fact]
    public void ASuggestionDeliveredAgainIsNotNews() =>
        Specs.Contact()
            .Given(WebContact(), new ContactResidentSuggested(ContactId, KnownResident, Officer, Times.Monday))
            .When(new SuggestResident(ContactId, KnownResident, Officer))
            .ThenNothing();

    [Fact]
    public void NothingIsSuggestedOnceStaffHaveConfirmedWhoseContactItIs() =>
        Specs.Contact()
            .Given(WebContact(), new ContactResidentConfirmed(ContactId, SomeoneElse, true, Officer, Times.Monday))
            .When(new SuggestResident(ContactId, KnownResident, Officer))
            .ThenNothing();

    [Fact]
    public void ConfirmingRecordsTheResidentAndTheConsentStaffHeard()
    {
        var outcome = Specs.Contact()
            .Given(WebContact(), new ContactResidentSuggested(ContactId, KnownResident, Officer, Times.Monday))
            .When(new ConfirmResident(ContactId, KnownResident, false, Officer))
            .Then(new ContactResidentConfirmed(ContactId, KnownResident, false, Officer, Times.Now));

        Assert.Equal(KnownResident, outcome.State.ResidentOfRecord);

        // The contact's own words stay sealed under its own record.
        Assert.Equal(OwnRecord, outcome.State.ResidentId);
    }

    [Fact]
    public void ConfirmingTheSameResidentAgainChangesNothing() =>
        Specs.Contact()
            .Given(WebContact(), new ContactResidentConfirmed(ContactId, KnownResident, true, Officer, Times.Monday))
            .When(new ConfirmResident(ContactId, KnownResident, true, Officer))
            .ThenNothing();

    [Fact]
    public void AContactConfirmedAsOneResidentsCannotBeConfirmedAsAnothers() =>
        Specs.Contact()
            .Given(WebContact(), new ContactResidentConfirmed(ContactId, KnownResident, true, Officer, Times.Monday))
            .When(new ConfirmResident(ContactId, SomeoneElse, true, Officer))
            .ThenFails("contact.resident-already-confirmed");

    [Fact]
    public void AContactIsNotConfirmedAsTheRecordItAlreadyStandsOn() =>
        Specs.Contact()
            .Given(WebContact())
            .When(new ConfirmResident(ContactId, OwnRecord, true, Officer))
            .ThenFails("contact.resident-already-linked");
}
