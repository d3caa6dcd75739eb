using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Routing;
using FrontDoor.Domain.Tests.Support;
using static FrontDoor.Domain.Tests.Contacts.ContactData;

namespace FrontDoor.Domain.Tests.Contacts;

public sealed class AssessAndConsentTests
{
    [Fact]
    public void AssessmentRecordsNeedsWithTheirHighestPriority()
    {
        var outcome = Specs.Contact()
            .Given(Received())
            .When(new AssessNeeds(ContactId, [NeedCodes.MoneyAndDebt, NeedCodes.Homelessness, NeedCodes.FoodAndFuel], Officer))
            .Then(new NeedsAssessed(
                ContactId,
                [NeedCodes.MoneyAndDebt, NeedCodes.Homelessness, NeedCodes.FoodAndFuel],
                false,
                PriorityCodes.Urgent,
                Officer,
                Times.Now));

        Assert.True(outcome.State.NeedsAssessed);
        Assert.Equal([NeedCodes.Homelessness, NeedCodes.MoneyAndDebt], outcome.State.StatedNeeds);
        Assert.Equal(3, outcome.State.Needs.Count);
    }

    [Theory]
    [InlineData(NeedCodes.ChildSafeguarding)]
    [InlineData(NeedCodes.AdultSafeguarding)]
    public void SafeguardingNeedsAreFlaggedAndImmediate(string need)
    {
        var outcome = Specs.Contact()
            .Given(Received())
            .When(new AssessNeeds(ContactId, [NeedCodes.HousingAdvice, need], Officer))
            .Then(new NeedsAssessed(ContactId, [NeedCodes.HousingAdvice, need], true, PriorityCodes.Immediate, Officer, Times.Now));

        Assert.True(outcome.State.Safeguarding);
    }

    [Fact]
    public void SafeguardingStaysImmediateEvenIfTheTableSaysOtherwise()
    {
        var lax = ContactPolicy.Default with
        {
            Routing = new RoutingTable([new NeedRoute(NeedCodes.ChildSafeguarding, ServiceCodes.EarlyHelp, PriorityCodes.Standard)]),
        };

        var outcome = Specs.Contact(lax)
            .Given(Received())
            .When(new AssessNeeds(ContactId, [NeedCodes.ChildSafeguarding], Officer));

        Assert.Equal(PriorityCodes.Immediate, Assert.IsType<NeedsAssessed>(Assert.Single(outcome.Events)).HighestPriority);
    }

    [Fact]
    public void ReassessingTheSameNeedsIsANoOp() =>
        Specs.Contact()
            .Given(Received(), new NeedsAssessed(ContactId, [NeedCodes.Homelessness, NeedCodes.MoneyAndDebt], false, PriorityCodes.Urgent, Officer, Times.Monday))
            .When(new AssessNeeds(ContactId, [NeedCodes.MoneyAndDebt, NeedCodes.Homelessness], Officer))
            .ThenNothing();

    [Fact]
    public void ReassessingWithDifferentNeedsIsRecorded() =>
        Specs.Contact()
            .Given(Received(), new NeedsAssessed(ContactId, [NeedCodes.Homelessness], false, PriorityCodes.Urgent, Officer, Times.Monday))
            .When(new AssessNeeds(ContactId, [NeedCodes.HousingAdvice], Officer))
            .Then(new NeedsAssessed(ContactId, [NeedCodes.HousingAdvice], false, PriorityCodes.Standard, Officer, Times.Now));

    [Fact]
    public void AnAssessmentNeedsAtLeastOneNeed() =>
        Specs.Contact().Given(Received()).When(new AssessNeeds(ContactId, ["  "], Officer)).ThenFails("contact.needs-required");

    [Theory]
    [InlineData(ConsentMethods.Spoken)]
    [InlineData(ConsentMethods.Written)]
    [InlineData(ConsentMethods.WebForm)]
    public void ConsentIsRecordedWithHowItWasObtained(string method)
    {
        var outcome = Specs.Contact()
            .Given(Received())
            .When(new RecordConsent(ContactId, false, method, Officer))
            .Then(new ConsentRecorded(ContactId, false, method, Officer, Times.Now));

        Assert.False(outcome.State.ConsentToShare);
        Assert.Equal(method, outcome.State.ConsentObtainedBy);
    }

    [Fact]
    public void ConsentMethodMustBeKnown() =>
        Specs.Contact().Given(Received()).When(new RecordConsent(ContactId, true, "telepathy", Officer)).ThenFails("contact.unknown-consent-method");

    [Fact]
    public void RecordingTheSameConsentAgainIsANoOp() =>
        Specs.Contact()
            .Given(Received(), new ConsentRecorded(ContactId, true, ConsentMethods.Spoken, Officer, Times.Monday))
            .When(new RecordConsent(ContactId, true, ConsentMethods.Spoken, Officer))
            .ThenNothing();
}
