using FrontDoor.Domain.Triage;

namespace FrontDoor.Domain.Tests.Triage;

/// <summary>The combination rules, with the model's evidence given: what is raised, what is never dropped, what a denial silences.</summary>
public sealed class TriageSuggesterTests
{
    private static readonly Dictionary<string, double> Thresholds = new(StringComparer.Ordinal)
    {
        [NeedCodes.AdultSafeguarding] = 0.3,
        [NeedCodes.ChildSafeguarding] = 0.3,
        [NeedCodes.Homelessness] = 0.6,
        [NeedCodes.HousingAdvice] = 0.6,
        [NeedCodes.MoneyAndDebt] = 0.6,
    };

    private static IReadOnlyList<TriageSuggestion> Suggest(string summary, params ModelEvidence[] model) =>
        TriageSuggester.Suggest(TriageRules.Default, Clauses.Split(summary), model, Thresholds);

    private static List<string> Needs(string summary, params ModelEvidence[] model) => Suggest(summary, model).Select(s => s.Need).ToList();

    private static ModelEvidence Evidence(string need, double score) => new(need, score, [new SimilarExample("An example of " + need, 0.8)]);

    [Theory]
    [InlineData("Fleeing a violent partner with the two kids, nowhere to go tonight")]
    [InlineData("The children see him hit her most weekends")]
    [InlineData("The kids next door are out on the street till midnight and never seem to get a proper meal")]
    [InlineData("Her grandson keeps going missing and comes back with a new phone and wads of cash")]
    [InlineData("Worried the lads are being used for county lines")]
    [InlineData("My 16-year-old was thrown out after a row and is staying wherever he can")]
    [InlineData("Caller's daughter is 17 and has been sofa surfing since Christmas")]
    public void A_child_at_risk_raises_child_safeguarding_without_the_model(string summary)
    {
        var child = Assert.Single(Suggest(summary), s => s.Need == NeedCodes.ChildSafeguarding);
        Assert.True(child.Safeguarding);
        Assert.NotEmpty(child.Matched);
        Assert.NotEmpty(child.Because);
    }

    [Theory]
    [InlineData("Her son-in-law has been drawing her pension and she won't say a word against him")]
    [InlineData("Men coming and going from his flat at all hours since a new friend moved in")]
    [InlineData("The house is in a state, he's hoarding and stopped eating")]
    [InlineData("Found her confused in the street, soiled and in her nightie")]
    [InlineData("Her husband pushed her down the stairs last week")]
    public void An_adult_at_risk_raises_adult_safeguarding_without_the_model(string summary) =>
        Assert.Contains(NeedCodes.AdultSafeguarding, Needs(summary));

    [Fact]
    public void A_son_in_law_is_not_a_child()
    {
        var needs = Needs("Her son-in-law has been drawing her pension and she won't say a word against him");

        Assert.DoesNotContain(NeedCodes.ChildSafeguarding, needs);
    }

    [Fact]
    public void A_low_model_score_never_removes_a_safeguarding_concern_the_rules_raised()
    {
        var suggestions = Suggest("The children see him hit her most weekends", Evidence(NeedCodes.ChildSafeguarding, 0.01), Evidence(NeedCodes.AdultSafeguarding, 0.0));

        Assert.Contains(suggestions, s => s.Need == NeedCodes.ChildSafeguarding);
        Assert.Contains(suggestions, s => s.Need == NeedCodes.AdultSafeguarding);
    }

    [Fact]
    public void Safeguarding_the_model_alone_raised_comes_first_with_its_examples()
    {
        var suggestions = Suggest(
            "Behind with the rent and the landlord is chasing; something about the way he talks about her worries me",
            Evidence(NeedCodes.AdultSafeguarding, 0.35),
            Evidence(NeedCodes.MoneyAndDebt, 0.9));

        Assert.Equal(NeedCodes.AdultSafeguarding, suggestions[0].Need);
        Assert.Empty(suggestions[0].Matched);
        Assert.Single(suggestions[0].SimilarTo);
        Assert.Contains("close in meaning", suggestions[0].Because, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_model_score_below_its_threshold_suggests_nothing_and_one_at_it_does()
    {
        Assert.DoesNotContain(NeedCodes.MoneyAndDebt, Needs("Asking about help", Evidence(NeedCodes.MoneyAndDebt, 0.59)));
        Assert.Contains(NeedCodes.MoneyAndDebt, Needs("Asking about help", Evidence(NeedCodes.MoneyAndDebt, 0.6)));
    }

    [Fact]
    public void A_need_without_a_threshold_or_an_unknown_need_is_never_suggested_by_the_model()
    {
        var needs = Needs("Asking about help", Evidence(NeedCodes.IsolationAndWellbeing, 1.0), Evidence("parking-permits", 1.0));

        Assert.Empty(needs);
    }

    [Theory]
    [InlineData("No concerns about the children")]
    [InlineData("Mum rang about the bins, no concerns about the kids being left alone")]
    [InlineData("She says she feels safe and her partner has never hit her")]
    public void A_denied_concern_is_not_suggested(string summary)
    {
        var needs = Needs(summary);

        Assert.DoesNotContain(NeedCodes.ChildSafeguarding, needs);
        Assert.DoesNotContain(NeedCodes.AdultSafeguarding, needs);
    }

    [Fact]
    public void A_denial_silences_its_own_clause_only()
    {
        var needs = Needs("Three months of rent arrears and the landlord is chasing. No concerns about the children.");

        Assert.Contains(NeedCodes.HousingAdvice, needs);
        Assert.DoesNotContain(NeedCodes.ChildSafeguarding, needs);
    }

    [Fact]
    public void A_concern_after_but_is_heard_even_when_the_first_part_denies_one()
    {
        var needs = Needs("She says she feels safe but he hits her when he has been drinking");

        Assert.Contains(NeedCodes.AdultSafeguarding, needs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("...!?")]
    public void Empty_input_suggests_nothing(string summary) => Assert.Empty(Suggest(summary));

    [Fact]
    public void A_very_long_summary_still_finds_a_concern_at_its_end()
    {
        var summary = string.Join(". ", Enumerable.Repeat("Asked about the opening hours of the library and the bus times", 60)) + ". The children see him hit her.";

        Assert.Contains(NeedCodes.ChildSafeguarding, Needs(summary));
    }

    [Fact]
    public void Several_people_in_one_contact_each_get_their_needs()
    {
        var needs = Needs("I look after my husband who has dementia and I'm exhausted. Our grandson, 16, was kicked out by his dad and is sleeping on our sofa.");

        Assert.Contains(NeedCodes.CareAndSupport, needs);
        Assert.Contains(NeedCodes.CarerSupport, needs);
        Assert.Contains(NeedCodes.ChildSafeguarding, needs);
        Assert.Contains(NeedCodes.Homelessness, needs);
    }
}
