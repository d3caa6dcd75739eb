using FrontDoor.Domain.Catalogue;
using FrontDoor.Domain.Routing;
using FrontDoor.Domain.Sla;
using FrontDoor.Domain.Tests.Support;

namespace FrontDoor.Domain.Tests.Routing;

public sealed class RoutingPolicyTests
{
    private static readonly DateTimeOffset Now = Times.Monday;

    private static RoutingDecision Route(params string[] needs) =>
        RoutingPolicy.Route(RoutingTable.Default, needs, SlaPolicy.Default, Now);

    [Fact]
    public void HomelessnessAndDebtGoToHousingUrgentAndPovertySupportStandard()
    {
        var decision = Route(NeedCodes.MoneyAndDebt, NeedCodes.Homelessness);

        Assert.Collection(
            decision.Referrals,
            housing =>
            {
                Assert.Equal(ServiceCodes.Housing, housing.Service);
                Assert.Equal(PriorityCodes.Urgent, housing.Priority);
                Assert.Equal(Now.AddHours(24), housing.DueAt);
                Assert.Equal("need:homelessness", housing.Rule);
                Assert.Equal([NeedCodes.Homelessness], housing.Needs);
            },
            poverty =>
            {
                Assert.Equal(ServiceCodes.PovertySupport, poverty.Service);
                Assert.Equal(PriorityCodes.Standard, poverty.Priority);
                Assert.Equal(Times.Day(2025, 3, 10), poverty.DueAt);
                Assert.Equal("need:money-and-debt", poverty.Rule);
            });
        Assert.False(decision.QueueForTriage);
        Assert.Null(decision.TriageReason);
        Assert.Empty(decision.Signposts);
    }

    [Fact]
    public void AdultSafeguardingGoesToAdultSocialCareImmediately()
    {
        var referral = Assert.Single(Route(NeedCodes.AdultSafeguarding).Referrals);

        Assert.Equal(ServiceCodes.AdultSocialCare, referral.Service);
        Assert.Equal(PriorityCodes.Immediate, referral.Priority);
        Assert.Equal(Now.AddHours(1), referral.DueAt);
    }

    [Fact]
    public void TwoNeedsForOneServiceMakeOneReferralAtTheHigherPriority()
    {
        var referral = Assert.Single(Route(NeedCodes.HousingAdvice, NeedCodes.Homelessness).Referrals);

        Assert.Equal(ServiceCodes.Housing, referral.Service);
        Assert.Equal(PriorityCodes.Urgent, referral.Priority);
        Assert.Equal([NeedCodes.HousingAdvice, NeedCodes.Homelessness], referral.Needs);
        Assert.Equal("need:housing-advice+homelessness", referral.Rule);
    }

    [Fact]
    public void ReferralsAreOrderedMostPressingFirst()
    {
        var decision = Route(NeedCodes.CarerSupport, NeedCodes.FamilySupport, NeedCodes.ChildSafeguarding, NeedCodes.FoodAndFuel);

        Assert.Equal(
            [ServiceCodes.EarlyHelp, ServiceCodes.PovertySupport, ServiceCodes.AdultSocialCare],
            decision.Referrals.Select(r => r.Service));
        Assert.Equal(PriorityCodes.Immediate, decision.Referrals[0].Priority);
    }

    [Fact]
    public void IsolationOnlyIsSignpostedWithoutAReferral()
    {
        var decision = Route(NeedCodes.IsolationAndWellbeing);

        Assert.Empty(decision.Referrals);
        Assert.Equal([SignpostCodes.CommunityDirectory], decision.Signposts);
        Assert.Equal([NeedCodes.IsolationAndWellbeing], decision.SignpostNeeds);
        Assert.False(decision.QueueForTriage);
        Assert.NotEmpty(CommunityDirectory.Default.ForNeeds(decision.SignpostNeeds));
    }

    [Fact]
    public void SignpostAndReferralTogetherNeedNoTriage()
    {
        var decision = Route(NeedCodes.IsolationAndWellbeing, NeedCodes.CareAndSupport);

        Assert.Equal(ServiceCodes.AdultSocialCare, Assert.Single(decision.Referrals).Service);
        Assert.Equal([SignpostCodes.CommunityDirectory], decision.Signposts);
        Assert.False(decision.QueueForTriage);
    }

    [Fact]
    public void NoNeedsGoToFrontDoorTriage()
    {
        var decision = Route();

        var triage = Assert.Single(decision.Referrals);
        Assert.Equal(ServiceCodes.FrontDoorTriage, triage.Service);
        Assert.Equal(PriorityCodes.Standard, triage.Priority);
        Assert.Equal(RoutingPolicy.UnroutedRule, triage.Rule);
        Assert.True(decision.QueueForTriage);
        Assert.Equal(RoutingPolicy.NoNeedsReason, decision.TriageReason);
    }

    [Fact]
    public void UnknownNeedsNeverThrowAndGoToTriage()
    {
        var decision = Route("noise-nuisance");

        var triage = Assert.Single(decision.Referrals);
        Assert.Equal(ServiceCodes.FrontDoorTriage, triage.Service);
        Assert.Equal(["noise-nuisance"], triage.Needs);
        Assert.Equal("unrouted-needs:noise-nuisance", decision.TriageReason);
    }

    [Fact]
    public void AnUnknownNeedAlongsideAKnownOneIsNotDropped()
    {
        var decision = Route(NeedCodes.Homelessness, "pest-control");

        Assert.Equal([ServiceCodes.Housing, ServiceCodes.FrontDoorTriage], decision.Referrals.Select(r => r.Service));
        Assert.True(decision.QueueForTriage);
    }

    [Fact]
    public void NeedsAreMatchedWhateverTheirCaseOrSpacing() =>
        Assert.Equal(ServiceCodes.Housing, Assert.Single(Route(" Homelessness ", "HOMELESSNESS").Referrals).Service);

    [Fact]
    public void ARouteWithNoDestinationGoesToTriage()
    {
        var table = new RoutingTable([new NeedRoute(NeedCodes.Homelessness)]);

        var decision = RoutingPolicy.Route(table, [NeedCodes.Homelessness], SlaPolicy.Default, Now);

        Assert.Equal(ServiceCodes.FrontDoorTriage, Assert.Single(decision.Referrals).Service);
    }

    [Fact]
    public void RoutingFollowsTheConfiguredTable()
    {
        var table = RoutingTable.Default with
        {
            Routes = [new NeedRoute(NeedCodes.Homelessness, ServiceCodes.PovertySupport, PriorityCodes.Immediate)],
        };

        var referral = Assert.Single(RoutingPolicy.Route(table, [NeedCodes.Homelessness], SlaPolicy.Default, Now).Referrals);

        Assert.Equal(ServiceCodes.PovertySupport, referral.Service);
        Assert.Equal(PriorityCodes.Immediate, referral.Priority);
    }

    [Fact]
    public void DefaultTableCoversEveryKnownNeed() =>
        Assert.All(Vocabulary.Needs, need => Assert.NotNull(RoutingTable.Default.Find(need)));

    [Fact]
    public void ReturnedWithASuggestionGoesToTheSuggestedService()
    {
        var referral = RoutingPolicy.RouteReturned(
            ServiceCodes.Housing, ServiceCodes.PovertySupport, PriorityCodes.Urgent, [NeedCodes.Homelessness], SlaPolicy.Default, Now);

        Assert.Equal(ServiceCodes.PovertySupport, referral.Service);
        Assert.Equal(PriorityCodes.Urgent, referral.Priority);
        Assert.Equal(Now.AddHours(24), referral.DueAt);
        Assert.Equal("returned-from:housing", referral.Rule);
        Assert.Equal([NeedCodes.Homelessness], referral.Needs);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(ServiceCodes.Housing)]
    [InlineData("parks")]
    public void ReturnedWithoutAUsableSuggestionGoesToFrontDoorTriage(string? suggested)
    {
        var referral = RoutingPolicy.RouteReturned(ServiceCodes.Housing, suggested, PriorityCodes.Standard, [], SlaPolicy.Default, Now);

        Assert.Equal(ServiceCodes.FrontDoorTriage, referral.Service);
        Assert.Equal("returned-from:housing", referral.Rule);
    }

    [Fact]
    public void ReturnedWithAnUnknownPriorityFallsBackToStandard() =>
        Assert.Equal(
            PriorityCodes.Standard,
            RoutingPolicy.RouteReturned(ServiceCodes.Housing, null, "asap", [], SlaPolicy.Default, Now).Priority);

    [Fact]
    public void ReferralIdsAreDeterministicPerSourceEvent()
    {
        var contactId = Guid.Parse("6a1d3a4e-0a7b-4c43-9d3e-1b1f5f2a9c01");

        var first = RoutingPolicy.ReferralIdFor(contactId, ServiceCodes.Housing, "evt-1");

        Assert.Equal(first, RoutingPolicy.ReferralIdFor(contactId, ServiceCodes.Housing, "evt-1"));
        Assert.Equal(first, DeterministicId.From("referral", contactId.ToString("D"), ServiceCodes.Housing, "evt-1"));
        Assert.NotEqual(first, RoutingPolicy.ReferralIdFor(contactId, ServiceCodes.Housing, "evt-2"));
        Assert.NotEqual(first, RoutingPolicy.ReferralIdFor(contactId, ServiceCodes.PovertySupport, "evt-1"));
    }

    [Fact]
    public void HighestPriorityDefaultsToStandardWhenNothingMaps() =>
        Assert.Equal(PriorityCodes.Standard, RoutingTable.Default.HighestPriority([NeedCodes.IsolationAndWellbeing, "unknown"]));
}
