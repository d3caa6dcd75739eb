using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>A claim makes one worker answerable for a referral: the rest of the team sees it but cannot finish it for them.</summary>
public sealed class ClaimedReferralTests
{
    public static TheoryData<string> Backends => FrontDoorApp.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Bug_20_a_team_mate_cannot_complete_a_referral_another_claimed(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"]));
        await app.CaughtUpAsync();
        var referralId = Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;
        var holder = api.Worker("housing");
        using var teamMate = await app.ClientAsAsync("worker", "housing", desk: 2);

        using (var claimed = await Api.ActAsAsync(holder, referralId, "claim"))
        {
            Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        }

        var held = await api.ReferralAsync(referralId);
        Assert.Equal("demo-worker-housing", held.ClaimedBy);

        foreach (var (action, body) in new (string, object?)[]
        {
            ("complete", new CompleteReferralRequest("Advice given on disrepair.")),
            ("accept", null),
            ("return", new ReturnReferralRequest("Needs a tenancy officer.", null)),
        })
        {
            using var refused = await Api.ActAsAsync(teamMate, referralId, action, body);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("referral.claimed-by-another", problem.GetProperty("code").GetString());
            Assert.Equal("demo-worker-housing", problem.GetProperty("holder").GetString());
            Assert.Contains("Wren Worker (housing)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Nothing the team-mate sent was recorded, and the holder carries on as before.
        var after = await api.ReferralAsync(referralId);
        Assert.Equal(("claimed", held.Version, "demo-worker-housing"), (after.Status, after.Version, after.ClaimedBy));
        using (var accepted = await Api.ActAsAsync(holder, referralId, "accept"))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using (var completed = await Api.ActAsAsync(holder, referralId, "complete", new CompleteReferralRequest("Advice given on disrepair.")))
        {
            Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        }

        Assert.Equal("completed", (await api.ReferralAsync(referralId)).Status);
        await app.SettledAsync();
    }
}
