using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Tests.Support;
using static FrontDoor.Domain.Tests.Contacts.ContactData;

namespace FrontDoor.Domain.Tests.Contacts;

/// <summary>A contact that named no resident is its own data subject: retention erases it on its own stream.</summary>
public sealed class ErasingContactTests
{
    private const string Retention = "system:retention";

    [Fact]
    public void A_closed_contact_without_a_resident_is_erased_with_its_reason_and_its_summary_goes()
    {
        var outcome = Specs.Contact()
            .Given(Received(), Signposted(), FollowUp(), FollowUpDone(), new ContactClosed(ContactId, Officer, Times.Monday))
            .When(new EraseContactPersonalData(ContactId, ErasureBases.Retention, " contacts-2190d/referrals-2190d ", Retention))
            .Then(new ContactPersonalDataErased(ContactId, ErasureBases.Retention, "contacts-2190d/referrals-2190d", Retention, Times.Now));

        Assert.True(outcome.State.PersonalDataErased);
        Assert.Null(outcome.State.Summary);
        Assert.True(outcome.State.IsClosed);
    }

    [Fact]
    public void Erasing_again_records_nothing_more() =>
        Specs.Contact()
            .Given(Received(), new ContactPersonalDataErased(ContactId, ErasureBases.Retention, null, Retention, Times.Monday))
            .When(new EraseContactPersonalData(ContactId, ErasureBases.Retention, null, Retention))
            .ThenNothing();

    [Fact]
    public void A_residents_contact_is_erased_with_the_resident_not_on_its_own() =>
        Specs.Contact()
            .Given(Received() with { ResidentId = Guid.Parse("5b0c3b0e-8a53-4f7e-9a77-7d0a3a0f1c11") })
            .When(new EraseContactPersonalData(ContactId, ErasureBases.Request, null, Officer))
            .ThenFails("contact.erase-the-resident");

    [Fact]
    public void An_unknown_contact_cannot_be_erased() =>
        Specs.Contact().When(new EraseContactPersonalData(ContactId, ErasureBases.Retention, null, Retention)).ThenFails("contact.not-found");

    [Fact]
    public void Bug_20_an_erasure_records_no_free_text() =>
        Specs.Contact().Given(Received()).When(new EraseContactPersonalData(ContactId, ErasureBases.Retention, "Lonely since moving to Blacon", Retention)).ThenFails("erasure.reference-not-a-code");

    [Fact]
    public void An_erasure_says_on_what_basis() =>
        Specs.Contact().Given(Received()).When(new EraseContactPersonalData(ContactId, "tidying up", null, Retention)).ThenFails("erasure.unknown-basis");

    private static Signposted Signposted() => new(ContactId, ["age-uk-cheshire-west"], Officer, Times.Monday);
}
