using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// Work held by a named person: a manager assigns it, a worker hands their own to a colleague, only the holder (or a
/// manager) finishes it, "My work" lists it, the manager sees who holds what, and the cap on open work is kept.
/// </summary>
public sealed class AssignmentTests
{
    private const string Holder = "demo-worker-housing";
    private const string Colleague = "demo-worker-housing-desk-2";
    private const string ColleagueName = "Wren Worker (housing), desk 2";

    [Fact]
    public async Task A_manager_assigns_work_to_a_colleague_who_holds_it_in_my_work_and_only_they_or_a_manager_finish_it()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        using var colleague = await app.ClientAsAsync("worker", "housing", desk: 2);
        Assert.Empty((await colleague.GetFromJsonAsync<MyWorkResponse>("/api/my/work"))!.Items);
        var referralId = await HousingReferralAsync(app, api);

        using (var assigned = await AssignAsync(api.Manager, referralId, Colleague))
        {
            Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        }

        var referral = await api.ReferralAsync(referralId);
        Assert.Equal(("claimed", Colleague, ColleagueName), (referral.Status, referral.ClaimedBy, referral.Names![Colleague]));
        Assert.NotNull(referral.HeldSince);

        var mine = (await colleague.GetFromJsonAsync<MyWorkResponse>("/api/my/work"))!;
        Assert.Equal((Colleague, referralId), (mine.UserId, Assert.Single(mine.Items).ReferralId!.Value));
        Assert.Empty((await api.Worker("housing").GetFromJsonAsync<MyWorkResponse>("/api/my/work"))!.Items);

        // A team-mate is told who holds it, by name, and nothing they sent is recorded.
        using (var refused = await Api.ActAsAsync(api.Worker("housing"), referralId, "complete", new CompleteReferralRequest("Done.")))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("referral.claimed-by-another", Colleague, ColleagueName), (problem.GetProperty("code").GetString(), problem.GetProperty("holder").GetString(), problem.GetProperty("holderName").GetString()));
            Assert.Contains(ColleagueName, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(referral.Version, (await api.ReferralAsync(referralId)).Version);

        var history = (await api.ContactAsync(referral.ContactId)).History;
        var given = Assert.Single(history, h => h.Type == "referral-assigned.v1");
        Assert.Equal(("Referral given to " + ColleagueName, "Morgan Manager"), (given.Description, given.ActorName));

        // The manager may finish work someone else holds.
        using (var accepted = await Api.ActAsAsync(api.Manager, referralId, "accept"))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using (var completed = await Api.ActAsAsync(api.Manager, referralId, "complete", new CompleteReferralRequest("Repair order raised with the landlord.")))
        {
            Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        }

        Assert.Empty((await colleague.GetFromJsonAsync<MyWorkResponse>("/api/my/work"))!.Items);
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_worker_hands_their_own_work_to_a_colleague_and_can_no_longer_act_on_it()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        using var colleague = await app.ClientAsAsync("worker", "housing", desk: 2);
        await SignInAsync(colleague);
        var referralId = await HousingReferralAsync(app, api);
        await api.ActOkAsync(referralId, "claim");

        using (var handed = await AssignAsync(api.Worker("housing"), referralId, Colleague))
        {
            Assert.Equal(HttpStatusCode.OK, handed.StatusCode);
        }

        Assert.Equal(referralId, Assert.Single((await colleague.GetFromJsonAsync<MyWorkResponse>("/api/my/work"))!.Items).ReferralId);
        using (var refused = await Api.ActAsAsync(api.Worker("housing"), referralId, "accept"))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }

        // Nor may they take it back: it is the colleague's (or a manager's) to hand on now.
        using (var back = await AssignAsync(api.Worker("housing"), referralId, Holder))
        {
            Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
        }

        using (var accepted = await Api.ActAsAsync(colleague, referralId, "accept"))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        await app.SettledAsync();
    }

    [Fact]
    public async Task Assigning_to_nobody_a_stranger_or_another_teams_worker_is_refused_naming_the_field_and_changes_nothing()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var referralId = await HousingReferralAsync(app, api);
        var before = (await api.ReferralAsync(referralId)).Version;
        await SignInAsync(api.Worker("early-help"), api.Client);

        foreach (var (assignee, says) in new[]
        {
            ((string?)null, "Choose the colleague"),
            ("  ", "Choose the colleague"),
            ("someone-who-never-signed-in", "has signed in"),
            ("demo-worker-early-help", "does not work for housing"),
            ("demo-agent", "does not work for housing"),
        })
        {
            using var bad = await AssignAsync(api.Manager, referralId, assignee);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains(says, problem.GetProperty("errors").GetProperty("assignee")[0].GetString(), StringComparison.Ordinal);
        }

        // Another team's worker is not told the referral exists; an agent is told it is not the front door's.
        using (var otherTeam = await AssignAsync(api.Worker("early-help"), referralId, Holder))
        {
            Assert.Equal(HttpStatusCode.NotFound, otherTeam.StatusCode);
        }

        using (var agent = await AssignAsync(api.Client, referralId, Holder))
        {
            Assert.Equal(HttpStatusCode.Forbidden, agent.StatusCode);
        }

        using (var unknown = await AssignAsync(api.Manager, Guid.NewGuid(), Holder))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        var after = await api.ReferralAsync(referralId);
        Assert.Equal((before, (string?)null), (after.Version, after.ClaimedBy));
        await app.SettledAsync();
    }

    [Fact]
    public async Task The_cap_on_open_work_refuses_more_for_a_worker_who_holds_enough_and_says_why()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?> { ["FrontDoor:MaxOpenReferralsPerWorker"] = "1" });
        var api = await Api.ForAsync(app);
        using var colleague = await app.ClientAsAsync("worker", "housing", desk: 2);
        await SignInAsync(colleague);
        var first = await HousingReferralAsync(app, api);
        var second = await HousingReferralAsync(app, api);
        await api.ActOkAsync(first, "claim");

        using (var claimed = await Api.ActAsAsync(api.Worker("housing"), second, "claim"))
        {
            await AssertAtCapAsync(claimed, Holder);
        }

        using (var assigned = await AssignAsync(api.Manager, second, Holder))
        {
            await AssertAtCapAsync(assigned, Holder);
        }

        Assert.Null((await api.ReferralAsync(second)).ClaimedBy);

        // Someone with room takes it; once the first is finished, its holder has room again.
        using (var toColleague = await AssignAsync(api.Manager, second, Colleague))
        {
            Assert.Equal(HttpStatusCode.OK, toColleague.StatusCode);
        }

        await api.ActOkAsync(first, "accept");
        await api.ActOkAsync(first, "complete", new CompleteReferralRequest("Advice given."));
        using (var back = await AssignAsync(api.Manager, second, Holder))
        {
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        }

        await app.SettledAsync();
    }

    [Fact]
    public async Task The_manager_sees_who_holds_what_with_unheld_work_and_colleagues_with_room_and_my_work_is_most_pressing_first()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        using var colleague = await app.ClientAsAsync("worker", "housing", desk: 2);
        await SignInAsync(colleague, api.Worker("housing"));
        var standard = await HousingReferralAsync(app, api);
        var unheld = await HousingReferralAsync(app, api);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["homelessness"], "Evicted today, sleeping in the car with two children tonight."));
        await app.CaughtUpAsync();
        var urgent = (await api.ContactAsync(contactId)).Referrals.Single(r => r.Service == "housing").ReferralId;
        foreach (var referralId in new[] { standard, urgent })
        {
            using var assigned = await AssignAsync(api.Manager, referralId, Holder);
            Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        }

        var mine = (await api.Worker("housing").GetFromJsonAsync<MyWorkResponse>("/api/my/work"))!;
        Assert.Equal([urgent, standard], mine.Items.Select(i => i.ReferralId!.Value));

        var team = (await api.Manager.GetFromJsonAsync<TeamWorkResponse>("/api/teams/housing/work"))!;
        Assert.Equal(unheld, Assert.Single(team.Unheld).ReferralId);
        var holder = team.Holders[0];
        Assert.Equal((Holder, "Wren Worker (housing)", 2), (holder.UserId, holder.Name, holder.Open));
        Assert.NotNull(holder.HeldSince);
        var withRoom = Assert.Single(team.Holders, h => h.UserId == Colleague);
        Assert.Equal((ColleagueName, 0), (withRoom.Name, withRoom.Open));
        Assert.Null(team.Cap);

        using var otherTeam = await api.Worker("early-help").GetAsync("/api/teams/housing/work");
        Assert.Equal(HttpStatusCode.Forbidden, otherTeam.StatusCode);
        using var unknownTeam = await api.Manager.GetAsync("/api/teams/parks/work");
        Assert.Equal(HttpStatusCode.BadRequest, unknownTeam.StatusCode);
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_sign_in_the_staff_directory_cannot_record_never_fails_the_request_it_came_with()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        await using (var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE staff_members ADD CONSTRAINT refuse_every_sign_in CHECK (false) NOT VALID";
            await command.ExecuteNonQueryAsync();
        }

        using var newcomer = await app.ClientAsAsync("worker", "housing", desk: 7);
        using var work = await newcomer.GetAsync("/api/my/work");
        Assert.Equal(HttpStatusCode.OK, work.StatusCode);

        // Not recorded, so not yet someone work can be given to.
        var referralId = await HousingReferralAsync(app, api);
        using var assigned = await AssignAsync(api.Manager, referralId, "demo-worker-housing-desk-7");
        Assert.Equal(HttpStatusCode.BadRequest, assigned.StatusCode);
        await app.SettledAsync();
    }

    /// <summary>A colleague is known to FrontDoor, and can be given work, once they have signed in and used it.</summary>
    private static async Task SignInAsync(params HttpClient[] clients)
    {
        foreach (var client in clients)
        {
            using var response = await client.GetAsync("/api/my/work");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task AssertAtCapAsync(HttpResponseMessage response, string holder)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("referral.worker-at-cap", holder, 1), (problem.GetProperty("code").GetString(), problem.GetProperty("holder").GetString(), problem.GetProperty("cap").GetInt32()));
        Assert.Contains("the most one worker may hold (1)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<Guid> HousingReferralAsync(FrontDoorApp app, Api api)
    {
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Damp in the flat and the landlord will not answer."));
        await app.CaughtUpAsync();
        return Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;
    }

    private static Task<HttpResponseMessage> AssignAsync(HttpClient client, Guid referralId, string? assignee) =>
        client.PostAsJsonAsync($"/api/referrals/{referralId:D}/assign", new AssignReferralRequest(assignee));
}
