using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;

using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

public sealed class ConcurrencyTests
{
    public static TheoryData<string> Backends => FrontDoorApp.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_stale_If_Match_is_refused_with_412_and_changes_nothing(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"]));
        await app.CaughtUpAsync();
        var referralId = Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;

        using var read = await api.Client.GetAsync($"/api/referrals/{referralId:D}");
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);

        using var claimed = await api.ActAsync(referralId, "claim", ifMatch: 1);
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        Assert.Equal("\"2\"", claimed.Headers.ETag?.Tag);

        using var stale = await api.ActAsync(referralId, "accept", ifMatch: 1);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var problem = await stale.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("concurrency.stale-version", problem.GetProperty("code").GetString());
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt64());
        Assert.Equal("claimed", (await api.ReferralAsync(referralId)).Status);
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Two_workers_racing_to_claim_one_referral_cannot_both_win(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["family-support"]));
        await app.CaughtUpAsync();
        var referralId = Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;

        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await api.ActAsync(referralId, "claim", ifMatch: 1);
            return response.StatusCode;
        }));

        Assert.Equal(1, attempts.Count(s => s == HttpStatusCode.OK));
        Assert.All(attempts.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.PreconditionFailed, s));
        var referral = await api.ReferralAsync(referralId);
        Assert.Equal(2, referral.Version);
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_illegal_transition_is_a_409_that_says_why(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["carer-support"]));
        await app.CaughtUpAsync();
        var referralId = Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;

        using var early = await api.ActAsync(referralId, "complete", new CompleteReferralRequest("Done"));
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        var problem = await early.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("referral.not-claimed", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));

        using var followUpTooSoon = await api.Client.PostAsJsonAsync($"/api/contacts/{contactId:D}/follow-up", new CompleteFollowUpRequest(true, "Fine"));
        Assert.Equal(HttpStatusCode.Conflict, followUpTooSoon.StatusCode);
        Assert.Equal("raised", (await api.ReferralAsync(referralId)).Status);
        await app.SettledAsync();
    }
}
