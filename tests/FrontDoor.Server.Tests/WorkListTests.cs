using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// Every figure on the wall opens the list behind it, counted and listed by the same condition: overdue, unclaimed,
/// safeguarding or immediate work nobody holds, returned, check-backs due.
/// </summary>
public sealed class WorkListTests
{
    [Fact]
    public async Task Each_figure_lists_exactly_the_work_it_counts_across_services_and_for_one()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?>
        {
            ["FrontDoor:ImmediateTarget"] = "00:00:01",
            ["RateLimits:PerUserPerMinute"] = "1000000",
        });
        var api = await Api.ForAsync(app);
        var safeguarding = await ReferralAsync(app, api, "adult-safeguarding", "Neighbour heard shouting and a fall; she lives alone.");
        var held = await ReferralAsync(app, api, "child-safeguarding", "Children left alone overnight again.");
        var housing = await ReferralAsync(app, api, "housing-advice", "Damp in the flat.");
        var returned = await ReferralAsync(app, api, "housing-advice", "Council tax arrears, not a tenancy matter.");
        using (var claimed = await Api.ActAsAsync(api.Worker("early-help"), held, "claim"))
        {
            Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        }

        await api.ActOkAsync(returned, "claim");
        await api.ActOkAsync(returned, "return", new ReturnReferralRequest("Council tax arrears: poverty support's.", "poverty-support"));
        await app.CaughtUpAsync();

        // Both immediate referrals pass their one-second target.
        await Eventually.True(async () => (await ListAsync(api, "overdue")).Items.Count == 2, "both immediate referrals overdue", 60);
        var figures = (await api.Manager.GetFromJsonAsync<FiguresResponse>("/api/figures"))!;

        var overdue = await ListAsync(api, "overdue");
        Assert.Equal(figures.OverdueReferrals, overdue.Items.Count);
        Assert.Equal(new[] { safeguarding, held }.Order(), overdue.Items.Select(i => i.ReferralId!.Value).Order());

        var urgent = await ListAsync(api, "unclaimed-urgent");
        Assert.Equal((1, safeguarding, "adult-social-care"), (figures.UnclaimedUrgent, Assert.Single(urgent.Items).ReferralId!.Value, urgent.Items[0].Service));

        var handedBack = await ListAsync(api, "returned");
        Assert.Equal(figures.ReturnedReferrals, handedBack.Items.Count);
        Assert.Equal((returned, "returned"), (Assert.Single(handedBack.Items).ReferralId!.Value, handedBack.Items[0].Status));

        var unclaimedHousing = await ListAsync(api, "unclaimed", "housing");
        var housingFigures = figures.Services.Single(s => s.Service == "housing");
        Assert.Equal(housingFigures.Unclaimed, unclaimedHousing.Items.Count);
        Assert.Contains(housing, unclaimedHousing.Items.Select(i => i.ReferralId!.Value));
        Assert.All(unclaimedHousing.Items, i => Assert.Equal(("housing", "raised"), (i.Service, i.Status)));

        var dueNow = await ListAsync(api, "check-backs-due");
        Assert.Equal(figures.FollowUpsDue, dueNow.Items.Count);
        Assert.Equal(figures.ContactsWithoutOwner, (await ListAsync(api, "without-owner")).Items.Count);
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_contact_nobody_owns_is_on_the_list_behind_the_without_owner_figure()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Damp in the flat."));
        await app.CaughtUpAsync();

        // Forced into the state the promise forbids, as a fault would leave it: the list must show it.
        await using (var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE rm_contacts SET has_owner = 0 WHERE contact_id = '{contactId:D}'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var unowned = await ListAsync(api, "without-owner");
        Assert.Equal(("contact", contactId), (Assert.Single(unowned.Items).Kind, unowned.Items[0].ContactId));
        Assert.Equal(1, (await api.Manager.GetFromJsonAsync<FiguresResponse>("/api/figures"))!.ContactsWithoutOwner);
    }

    [Fact]
    public async Task An_unknown_list_or_service_is_refused_naming_the_field_and_only_managers_read_the_lists()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        foreach (var (query, field) in new[] { ("", "show"), ("?show=everything", "show"), ("?show=overdue&service=parks", "service") })
        {
            using var bad = await api.Manager.GetAsync("/api/work" + query);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), await bad.Content.ReadAsStringAsync());
        }

        using var worker = await api.Worker("housing").GetAsync("/api/work?show=overdue");
        Assert.Equal(HttpStatusCode.Forbidden, worker.StatusCode);
        await app.SettledAsync();
    }

    private static async Task<WorkListResponse> ListAsync(Api api, string show, string? service = null) =>
        (await api.Manager.GetFromJsonAsync<WorkListResponse>($"/api/work?show={show}" + (service is null ? string.Empty : $"&service={service}")))!;

    private static async Task<Guid> ReferralAsync(FrontDoorApp app, Api api, string need, string summary)
    {
        var contactId = await api.RecordAsync(Api.Contact("phone", [need], summary));
        await app.CaughtUpAsync();
        return Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;
    }
}
