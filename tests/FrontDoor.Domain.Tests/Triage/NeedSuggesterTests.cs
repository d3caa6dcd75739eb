using FrontDoor.Domain.Triage;

namespace FrontDoor.Domain.Tests.Triage;

public sealed class NeedSuggesterTests
{
    private static IReadOnlyList<NeedSuggestion> Suggest(string summary) => NeedSuggester.Suggest(TriageRules.Default, summary);

    private static List<string> Needs(string summary) => Suggest(summary).Select(s => s.Need).ToList();

    [Theory]
    [InlineData("Got a section 21 eviction notice from the landlord, has to leave by the end of the month", NeedCodes.Homelessness)]
    [InlineData("Been sleeping rough since Tuesday after being kicked out by family", NeedCodes.Homelessness)]
    [InlineData("Sofa surfing at a mate's place, nowhere to live from next week", NeedCodes.Homelessness)]
    [InlineData("Three months behind on rent and the housing association has written about rent arrears", NeedCodes.HousingAdvice)]
    [InlineData("Landlord wants to put the rent up, asking about tenancy rights", NeedCodes.HousingAdvice)]
    [InlineData("No heating since the prepayment meter ran dry and can't afford to top up the gas", NeedCodes.FoodAndFuel)]
    [InlineData("Mum is skipping meals so the kids can eat", NeedCodes.FoodAndFuel)]
    [InlineData("The children are hungry and there's nothing in the cupboards until payday", NeedCodes.FoodAndFuel)]
    [InlineData("Lost my job in January, bailiffs letter arrived and credit card debts piling up", NeedCodes.MoneyAndDebt)]
    [InlineData("I care for my mum full time and I'm exhausted, no break in months", NeedCodes.CarerSupport)]
    [InlineData("Carer for husband with Parkinson's, asking for a carer's assessment", NeedCodes.CarerSupport)]
    [InlineData("Dad has dementia, keeps getting lost and is struggling to wash", NeedCodes.CareAndSupport)]
    [InlineData("Needs help getting in and out of the bath after a fall last week", NeedCodes.CareAndSupport)]
    [InlineData("Neighbour noticed bruises on an elderly man who lives with his son and seems frightened", NeedCodes.AdultSafeguarding)]
    [InlineData("Teacher says the child has bruises and is scared to go home", NeedCodes.ChildSafeguarding)]
    [InlineData("Son refusing to go to school for three weeks, family at breaking point", NeedCodes.FamilySupport)]
    [InlineData("Fleeing a violent partner with two children, need somewhere safe tonight", NeedCodes.AdultSafeguarding)]
    [InlineData("Feeling very lonely since my wife died, I don't see anyone for days", NeedCodes.IsolationAndWellbeing)]
    public void RealisticSummariesSuggestTheRightNeedFirst(string summary, string expectedFirst) =>
        Assert.Equal(expectedFirst, Needs(summary).FirstOrDefault());

    [Fact]
    public void EvictionAlsoFlagsTheLandlordAsHousingAdvice() =>
        Assert.Equal(
            [NeedCodes.Homelessness, NeedCodes.HousingAdvice],
            Needs("Got a section 21 eviction notice from the landlord, has to leave by the end of the month"));

    [Fact]
    public void RentArrearsAreBothAHousingAndAMoneyNeed()
    {
        var needs = Needs("Three months behind on rent and the housing association has written about rent arrears");

        Assert.Contains(NeedCodes.HousingAdvice, needs);
        Assert.Contains(NeedCodes.MoneyAndDebt, needs);
    }

    [Fact]
    public void FleeingAbuseIsSafeguardingFirstThenSomewhereToStay() =>
        Assert.Equal(
            [NeedCodes.AdultSafeguarding, NeedCodes.Homelessness],
            Needs("Fleeing a violent partner with two children, need somewhere safe tonight"));

    [Fact]
    public void SafeguardingComesFirstEvenWithFewerMatches()
    {
        var suggestions = Suggest("Behind with the rent, landlord chasing, damp and mould everywhere, and her son took her money");

        Assert.Equal(NeedCodes.AdultSafeguarding, suggestions[0].Need);
        Assert.True(suggestions[0].Safeguarding);
        Assert.True(suggestions[1].MatchedPhrases.Count > suggestions[0].MatchedPhrases.Count);
    }

    [Fact]
    public void AmongSafeguardingNeedsTheStrongerMatchLeads() =>
        Assert.Equal(
            [NeedCodes.ChildSafeguarding, NeedCodes.AdultSafeguarding],
            Needs("Teacher says the child has bruises and is scared to go home"));

    [Fact]
    public void SuggestionsSayWhichPhrasesMatched()
    {
        var suggestion = Assert.Single(Suggest("Dad has dementia, keeps getting lost and is struggling to wash"));

        Assert.Equal(["dementia", "getting lost", "struggling to wash"], suggestion.MatchedPhrases);
        Assert.False(suggestion.Safeguarding);
    }

    [Fact]
    public void MatchingIgnoresCaseAndPunctuation()
    {
        Assert.Equal([NeedCodes.Homelessness], Needs("EVICTION NOTICE!!!"));
        Assert.Equal(["can't afford"], Assert.Single(Suggest("I CAN’T AFFORD it")).MatchedPhrases);
    }

    [Fact]
    public void PhraseVariantsAreListedNotStemmed()
    {
        Assert.Equal([NeedCodes.Homelessness], Needs("We were evicted yesterday"));
        Assert.Equal([NeedCodes.Homelessness], Needs("They are evicting us"));
        Assert.Empty(Needs("An evictee"));
    }

    [Theory]
    [InlineData("Asking about bin collection day")]
    [InlineData("Heating engineer visited, all fixed")]
    [InlineData("Parent asking about current school term dates")]
    [InlineData("Would like to book the library room for a knitting group")]
    [InlineData("Reporting a pothole on the high street")]
    [InlineData("")]
    [InlineData("   ")]
    public void NeutralSummariesSuggestNothing(string summary) => Assert.Empty(Suggest(summary));

    [Fact]
    public void MatchesAreWholeWordsOnly()
    {
        // "rent" must not fire inside "parent" or "current", nor "pip" inside "pipe".
        Assert.Empty(Suggest("Parent reports a current leak from a burst pipe"));
        Assert.Equal([NeedCodes.MoneyAndDebt], Needs("PIP was stopped"));
    }

    [Fact]
    public void CustomRulesAreUsedInsteadOfTheDefaults()
    {
        var rules = new TriageRules([new PhraseRule(NeedCodes.FamilySupport, ["bin collection"])]);

        var suggestion = Assert.Single(NeedSuggester.Suggest(rules, "Asking about bin collection day"));

        Assert.Equal(NeedCodes.FamilySupport, suggestion.Need);
    }

    [Fact]
    public void EveryDefaultRuleIsForAKnownNeed() =>
        Assert.All(TriageRules.Default.Rules, r =>
        {
            Assert.True(Vocabulary.IsKnownNeed(r.Need), r.Need);
            Assert.NotEmpty(r.Phrases);
        });

    [Fact]
    public void DefaultRulesCoverEveryNeed() =>
        Assert.Equal(Vocabulary.Needs.Order(), TriageRules.Default.Rules.Select(r => r.Need).Order());
}
