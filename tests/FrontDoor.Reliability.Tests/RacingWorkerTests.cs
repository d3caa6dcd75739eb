using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Testing;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// Fifty housing workers, on two nodes, reaching for the same referral at the same instant: exactly one claim wins
/// and everyone else is told why not; then the holder's own returns and completions race each other, the rest of the
/// team's are refused naming the holder, and the history left is one the rules allow.
/// </summary>
public sealed class RacingWorkerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Racing_workers_get_one_winner_and_a_legal_history()
    {
        await using var cluster = await FaultCluster.StartAsync(nodes: 2);
        var tokens = await cluster.TokensAsync("worker", Scale.RacingWorkers, ServiceCodes.Housing);
        var workers = tokens.Select((token, i) => NewClient(cluster.Nodes[i % 2].Address, token)).ToList();
        using var agent = await cluster.Nodes[0].SignInAsync("agent");
        var refusals = new Dictionary<int, int>();
        var claimsWon = 0;
        var completedRounds = 0;
        var returnedRounds = 0;
        try
        {
            for (var round = 0; round < Scale.RacingRounds; round++)
            {
                var referral = await RaiseHousingReferralAsync(agent, round);
                var (etag, _) = await ReadAsync(workers[0], referral);

                // Half send the ETag they read (a stale one gets 412), half none (the append's version check gets 409).
                var claims = await AllAtOnceAsync(workers, (worker, i) => PostAsync(worker, referral, "claim", null, i % 2 == 0 ? etag : null));
                claimsWon += claims.Count(c => c.Status == HttpStatusCode.OK);
                Assert.Equal(1, claims.Count(c => c.Status == HttpStatusCode.OK));
                foreach (var refused in claims.Where(c => c.Status != HttpStatusCode.OK))
                {
                    Assert.True(refused.Status is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed, $"a losing claim got {(int)refused.Status}: {refused.Body}");
                    Assert.False(string.IsNullOrWhiteSpace(refused.Problem?.Detail), $"a losing claim was not told why: {refused.Body}");
                    refusals[(int)refused.Status] = refusals.GetValueOrDefault((int)refused.Status) + 1;
                }

                var holderIndex = claims.FindIndex(c => c.Status == HttpStatusCode.OK);
                var winner = workers[holderIndex];
                var (_, claimed) = await ReadAsync(winner, referral);
                Assert.Equal("claimed", claimed.Status);

                // Completions and returns all at once: the holder's own, racing each other from both nodes, and the
                // rest of the team's, which only the holder may make.
                var holderOnBothNodes = new[] { winner, NewClient(cluster.Nodes[(holderIndex + 1) % 2].Address, tokens[holderIndex]) };
                var senders = workers.Select((worker, i) => i == holderIndex ? null : worker)
                    .Concat(Enumerable.Range(0, HolderActions).Select(i => holderOnBothNodes[i % 2]))
                    .ToList();
                var actions = await AllAtOnceAsync(senders, (worker, i) => i % 2 == 0
                    ? PostAsync(worker, referral, "complete", new CompleteReferralRequest("Advice given on disrepair."), null)
                    : PostAsync(worker, referral, "return", new ReturnReferralRequest("Needs a tenancy officer, not advice.", null), null));
                holderOnBothNodes[1].Dispose();
                var byHolder = actions.Skip(workers.Count).ToList();
                var byTeam = actions.Take(workers.Count).Where((_, i) => i != holderIndex).ToList();
                Assert.All(byHolder, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed, $"the holder's action got {(int)a.Status}: {a.Body}"));
                Assert.Contains(byHolder, a => a.Status == HttpStatusCode.OK);
                Assert.All(byTeam, a =>
                {
                    Assert.True(a.Status == HttpStatusCode.Conflict, $"a team-mate's action on the holder's claim got {(int)a.Status}: {a.Body}");
                    Assert.Equal(claimed.ClaimedBy, System.Text.Json.JsonDocument.Parse(a.Body).RootElement.GetProperty("holder").GetString());
                    Assert.Contains("held by", a.Problem?.Detail ?? string.Empty, StringComparison.Ordinal);
                });

                var history = await HistoryAsync(cluster, referral);
                var legal = IsLegal(history, out var ending);
                Assert.True(legal, $"illegal history for referral {referral}: {string.Join(" → ", history.Select(e => e.GetType().Name))}");
                if (ending is ReferralReturned)
                {
                    returnedRounds++;

                    // Handed back is never dropped: the router raises its replacement.
                    await Eventually.True(async () => (await RaisedFromAsync(cluster, referral)) == 1, $"one replacement for returned referral {referral}", 60);
                }
                else
                {
                    completedRounds++;
                }
            }
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }

        FaultFigures.Write(output, "racing-workers", new Dictionary<string, object>
        {
            ["rounds"] = Scale.RacingRounds,
            ["workersPerRound"] = Scale.RacingWorkers,
            ["claimsWon"] = claimsWon,
            ["refused409"] = refusals.GetValueOrDefault(409),
            ["refused412"] = refusals.GetValueOrDefault(412),
            ["endedCompleted"] = completedRounds,
            ["endedReturned"] = returnedRounds,
        });
    }

    /// <summary>
    /// Raised, claimed once, and then at most one ending — completed or returned — with nothing after it. (A repeated
    /// completion is accepted as already done and appends nothing, so it cannot show here.)
    /// </summary>
    private static bool IsLegal(IReadOnlyList<IReferralEvent> history, out IReferralEvent? ending)
    {
        ending = history.Count > 2 ? history[2] : null;
        return history.Count == 3
            && history[0] is ReferralRaised
            && history[1] is ReferralClaimed
            && history[2] is ReferralCompleted or ReferralReturned;
    }

    /// <summary>How many completions and returns the holder sends at once, half of each.</summary>
    private const int HolderActions = 10;

    private static HttpClient NewClient(Uri node, string token)
    {
        var client = new HttpClient { BaseAddress = node };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private static async Task<Guid> RaiseHousingReferralAsync(HttpClient agent, int round)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/contacts")
        {
            Content = JsonContent.Create(new RecordContactRequest("phone", null, null, $"Damp in the bedroom, round {round}.", [NeedCodes.HousingAdvice], true)),
        };
        message.Headers.Add("Idempotency-Key", $"racing-{round}-{Guid.NewGuid():N}");
        using var created = await agent.SendAsync(message);
        created.EnsureSuccessStatusCode();
        var contactId = (await created.Content.ReadFromJsonAsync<ContactCreatedResponse>())!.ContactId;
        Guid referral = default;
        await Eventually.True(
            async () =>
            {
                var contact = await agent.GetFromJsonAsync<ContactResponse>($"/api/contacts/{contactId:D}");
                referral = contact!.Referrals.Count > 0 ? contact.Referrals[0].ReferralId : default;
                return referral != default;
            },
            "the housing referral raised",
            60);
        return referral;
    }

    private static async Task<(string ETag, ReferralResponse Referral)> ReadAsync(HttpClient worker, Guid referral)
    {
        using var response = await worker.GetAsync($"/api/referrals/{referral:D}");
        response.EnsureSuccessStatusCode();
        return (response.Headers.ETag!.ToString(), (await response.Content.ReadFromJsonAsync<ReferralResponse>())!);
    }

    private sealed record Outcome(HttpStatusCode Status, string Body, ProblemBody? Problem);

    private sealed record ProblemBody(string? Title, string? Detail);

    private static async Task<Outcome> PostAsync(HttpClient worker, Guid referral, string action, object? body, string? etag)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{referral:D}/{action}") { Content = JsonContent.Create(body ?? new { }) };
        if (etag is not null)
        {
            message.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        using var response = await worker.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonSerializer.Deserialize<ProblemBody>(text, JsonSerializerOptions.Web) : null;
        return new Outcome(response.StatusCode, text, problem);
    }

    /// <summary>Every request prepared, then released together, so they meet at the server as nearly at once as two cores allow.</summary>
    /// <summary>A null sender sends nothing (its place in the results is a placeholder), so results line up with senders.</summary>
    private static async Task<List<Outcome>> AllAtOnceAsync(IReadOnlyList<HttpClient?> workers, Func<HttpClient, int, Task<Outcome>> send)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = workers.Select(async (worker, i) =>
        {
            await start.Task;
            return worker is null ? new Outcome(0, string.Empty, null) : await send(worker, i);
        }).ToList();
        start.SetResult();
        return [.. await Task.WhenAll(requests)];
    }

    private static async Task<IReadOnlyList<IReferralEvent>> HistoryAsync(FaultCluster cluster, Guid referral)
    {
        await using var store = await cluster.OpenStoreAsync();
        var events = await store.Events.ReadStreamAsync(StreamIds.Referral(referral), 0, 1000);
        return [.. events.Select(DomainEventSerializer.Deserialize).OfType<IReferralEvent>()];
    }

    private static async Task<int> RaisedFromAsync(FaultCluster cluster, Guid previous)
    {
        await using var store = await cluster.OpenStoreAsync();
        var count = 0;
        await foreach (var recorded in store.Events.ReadAllUpToAsync(await store.Events.ReadHeadPositionAsync()))
        {
            if (DomainEventSerializer.Deserialize(recorded) is ReferralRaised { PreviousReferralId: { } from } && from == previous)
            {
                count++;
            }
        }

        return count;
    }
}
