using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Triage;
using FrontDoor.Server.Triage.SuggestingNeeds;
using FrontDoor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDoor.Server.Tests;

/// <summary>Suggestions with the language model loaded, through the endpoint the agent console uses, and the corpus's quality gate.</summary>
public sealed class TriageSuggestionTests
{
    public static string HeldOutPath { get; } = Path.Combine(TestPostgres.RepositoryRoot(), "data", "triage", "held-out.jsonl");

    private static async Task<IReadOnlyList<SuggestedNeed>> SuggestAsync(string summary)
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        await app.Services.GetRequiredService<NeedModelHost>().GetAsync(TestContext.Current.CancellationToken);
        using var client = await app.ClientAsAsync("agent");
        using var response = await client.PostAsJsonAsync("/api/triage/suggest", new SuggestNeedsRequest(summary));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SuggestNeedsResponse>())!.Needs;
    }

    [Theory]
    [InlineData("We have an eviction notice and are behind on rent arrears", "homelessness")]
    [InlineData("He is sleeping rough by the station", "homelessness")]
    [InlineData("The kids are hungry and we have been skipping meals", "food-and-fuel")]
    [InlineData("She has bruises and is scared of her partner", "adult-safeguarding")]
    [InlineData("Since his wife died he is very lonely", "isolation-and-wellbeing")]
    public async Task Suggestions_name_the_need_and_the_phrase_that_suggested_it(string summary, string need)
    {
        var match = Assert.Single(await SuggestAsync(summary), s => s.Need == need);

        Assert.NotEmpty(match.Matched);
        Assert.All(match.Matched, phrase => Assert.Contains(phrase, summary, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("the kids next door are out on the street till midnight and never seem to get a proper meal", NeedCodes.ChildSafeguarding)]
    [InlineData("her son-in-law has been drawing her pension and she won't say a word against him", NeedCodes.AdultSafeguarding)]
    [InlineData("my 16-year-old was thrown out after a row and is staying wherever he can", NeedCodes.ChildSafeguarding)]
    [InlineData("my 16-year-old was thrown out after a row and is staying wherever he can", NeedCodes.Homelessness)]
    [InlineData("Got a letter saying my universal credit has been sanctioned for missing an appointment", NeedCodes.MoneyAndDebt)]
    [InlineData("the meter's on emergency credit and there's nothing left till Friday", NeedCodes.FoodAndFuel)]
    public async Task Suggestions_recognise_how_people_really_say_it_and_say_why(string summary, string need)
    {
        var suggested = await SuggestAsync(summary);

        var match = Assert.Single(suggested, s => s.Need == need);
        Assert.Equal(Vocabulary.IsSafeguarding(need), match.Safeguarding);
        Assert.False(string.IsNullOrWhiteSpace(match.Because));
        Assert.True(match.Matched.Count > 0 || match.SimilarTo.Count > 0, "A suggestion with neither matched words nor similar examples cannot be judged.");
        Assert.All(match.SimilarTo, e => Assert.InRange(e.Similarity, 0.3, 1.0));
        if (suggested.Any(s => s.Safeguarding))
        {
            Assert.True(suggested[0].Safeguarding, "Safeguarding comes first.");
        }
    }

    [Theory]
    [InlineData("Asking which day the bins are collected.")]
    [InlineData("I need to renew my blue badge, it runs out in March")]
    [InlineData("Dzień dobry, nie mam pieniędzy na jedzenie i mieszkanie, proszę o pomoc")]
    [InlineData("مرحبا، أحتاج إلى مساعدة في السكن والطعام لعائلتي")]
    [InlineData("No concerns about the children, just asking about school holiday clubs")]
    public async Task Ordinary_business_other_languages_and_denied_concerns_suggest_nothing(string summary) =>
        Assert.Empty(await SuggestAsync(summary));

    [Theory]
    [InlineData("{\"summary\":\"\"}", "summary")]
    [InlineData("{\"summary\":null}", "summary")]
    [InlineData("{\"summary\":42}", "summary")]
    [InlineData("{\"summary\":\"rent arrears\"", "body")]
    [InlineData("[\"rent arrears\"]", "body")]
    public async Task Bad_input_gets_a_problem_naming_the_field(string body, string field)
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var client = await app.ClientAsAsync("agent");

        using var response = await client.PostAsync("/api/triage/suggest", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task A_summary_over_the_limit_is_refused_by_field()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var client = await app.ClientAsAsync("agent");

        using var response = await client.PostAsJsonAsync("/api/triage/suggest", new SuggestNeedsRequest(new string('a', 4001)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("4000", errors.GetProperty("summary")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_model_status_says_when_the_language_model_has_joined_the_rules()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var model = await app.Services.GetRequiredService<NeedModelHost>().GetAsync(TestContext.Current.CancellationToken);
        using var client = await app.ClientAsAsync("agent");

        var status = await client.GetFromJsonAsync<TriageModelStatus>("/api/triage/model", TestContext.Current.CancellationToken);

        Assert.Equal("ready", status!.Status);
        Assert.Equal(TriageCorpus.Tune.Count, status.Examples);
        Assert.Equal(model!.Examples, status.Examples);
    }

    [Fact]
    public async Task Without_the_model_the_rules_still_answer_and_the_status_says_off()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?> { ["Triage:Model"] = "none" });
        using var client = await app.ClientAsAsync("agent");

        using var response = await client.PostAsJsonAsync("/api/triage/suggest", new SuggestNeedsRequest("my 16-year-old was thrown out after a row and is staying wherever he can"), TestContext.Current.CancellationToken);
        var needs = (await response.Content.ReadFromJsonAsync<SuggestNeedsResponse>(TestContext.Current.CancellationToken))!.Needs;

        Assert.Equal(NeedCodes.ChildSafeguarding, needs[0].Need);
        Assert.All(needs, n => Assert.Empty(n.SimilarTo));
        Assert.Equal("off", (await client.GetFromJsonAsync<TriageModelStatus>("/api/triage/model", TestContext.Current.CancellationToken))!.Status);
    }

    [Fact]
    public async Task Suggesting_needs_is_for_staff_only()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var anonymous = app.CreateClient();

        using var response = await anonymous.PostAsJsonAsync("/api/triage/suggest", new SuggestNeedsRequest("rent arrears"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>
    /// The quality gate on the held-out corpus, which nothing is ever tuned on: a change to the rules, the corpus
    /// or the model that loses safeguarding concerns or needs fails here. The floors sit just under what is
    /// measured today (docs/triage.md: safeguarding recall 0.968, recall 0.856, precision 0.554), below the
    /// issue's targets (0.98, 0.90, 0.80), which are not reached yet. A fixed corpus, not a timing.
    /// </summary>
    [Fact]
    public async Task Held_out_safeguarding_recall_stays_at_least_95_percent_overall_recall_80_and_precision_45()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var triage = app.Services.GetRequiredService<TriageSuggestions>();
        Assert.NotNull(await app.Services.GetRequiredService<NeedModelHost>().GetAsync(TestContext.Current.CancellationToken));
        await using var file = File.OpenRead(HeldOutPath);
        var heldOut = TriageCorpus.Read(file);

        var report = await TriageEvaluation.EvaluateAsync(triage, heldOut, leaveEachOut: false);

        var misses = string.Join(Environment.NewLine, report.Mistakes.Where(m => m.Missed).Select(m => $"{m.Id} {m.Need}: {m.Text}"));
        Assert.True(report.Safeguarding.Recall >= 0.95, $"Held-out safeguarding recall {report.Safeguarding.Recall:P1}; missed:{Environment.NewLine}{misses}");
        Assert.True(report.All.Recall >= 0.80, $"Held-out recall {report.All.Recall:P1}; missed:{Environment.NewLine}{misses}");
        Assert.True(report.All.Precision >= 0.45, $"Held-out precision {report.All.Precision:P1}");
    }

    [Fact]
    public void The_corpus_is_large_enough_labelled_with_known_needs_and_its_sets_do_not_overlap()
    {
        using var file = File.OpenRead(HeldOutPath);
        var heldOut = TriageCorpus.Read(file);
        var tune = TriageCorpus.Tune;

        Assert.True(tune.Count + heldOut.Count >= 400, $"{tune.Count + heldOut.Count} examples");
        Assert.All(tune.Concat(heldOut), e =>
        {
            Assert.All(e.Needs.Concat(e.AlsoFine), n => Assert.True(Vocabulary.IsKnownNeed(n), $"{e.Id}: unknown need {n}"));
            Assert.Empty(e.Needs.Intersect(e.AlsoFine));
            Assert.True(EnglishText.IsLikely(e.Text), $"{e.Id} does not read as English to the model's language check");
        });
        Assert.Empty(tune.Select(e => NeedSuggesterText(e.Text)).Intersect(heldOut.Select(e => NeedSuggesterText(e.Text))));
        foreach (var need in Vocabulary.Needs)
        {
            Assert.True(heldOut.Count(e => e.Needs.Contains(need)) >= 15, $"held-out has too few examples of {need}");
        }
    }

    private static string NeedSuggesterText(string text) => new(text.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
}

/// <summary>Threshold tuning on made-up scores: safeguarding is tuned for recall, everything else for balance.</summary>
public sealed class ThresholdTuningTests
{
    private static CorpusExample Example(int i, string text, params string[] needs) => new($"t-{i}", "phone", text, needs, []);

    [Fact]
    public void Safeguarding_keeps_a_model_threshold_even_when_the_rules_find_every_tune_example()
    {
        // Every safeguarding example here is found by the rules ("hits her"), and the model scores most of them high
        // but a few low: a precision-minded tuner would set the threshold above every negative (or switch the model
        // off); the recall rule keeps it low enough to find nine in ten on the model's own.
        var examples = Enumerable.Range(0, 20).Select(i => Example(i, "He hits her when he drinks", NeedCodes.AdultSafeguarding))
            .Concat(Enumerable.Range(20, 20).Select(i => Example(i, "Asking about the bins")))
            .ToList();
        double Score(int i) => i < 20 ? (i < 2 ? 0.2 : 0.9) : 0.5;

        var thresholds = ThresholdTuning.Tune(examples, TriageRules.Default, i => [new ModelEvidence(NeedCodes.AdultSafeguarding, Score(i), [])]);

        Assert.True(thresholds[NeedCodes.AdultSafeguarding] <= 0.9, $"threshold {thresholds[NeedCodes.AdultSafeguarding]}");
        Assert.Equal(18, Enumerable.Range(0, 20).Count(i => Score(i) >= thresholds[NeedCodes.AdultSafeguarding]));
    }

    [Fact]
    public void Other_needs_are_tuned_for_balance_and_a_need_the_model_never_scores_is_never_suggested_by_it()
    {
        var examples = Enumerable.Range(0, 10).Select(i => Example(i, "Something about money", NeedCodes.MoneyAndDebt))
            .Concat(Enumerable.Range(10, 10).Select(i => Example(i, "Asking about the bins")))
            .ToList();

        var thresholds = ThresholdTuning.Tune(examples, TriageRules.Default, i => [new ModelEvidence(NeedCodes.MoneyAndDebt, i < 10 ? 0.8 : 0.3, [])]);

        Assert.InRange(thresholds[NeedCodes.MoneyAndDebt], 0.31, 0.8);
        Assert.Equal(double.PositiveInfinity, thresholds[NeedCodes.IsolationAndWellbeing]);
    }
}
