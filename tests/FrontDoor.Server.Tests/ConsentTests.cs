using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// The agent asks the resident whether their details may be shared "with the teams we refer them to". Consent is
/// recorded for exactly those teams, as each referral is raised; widening it is a separate, explicit act.
/// </summary>
public sealed class ConsentTests
{
    private static readonly ResidentDetails Dev = new("Devika Rao", "1990-02-03", "CH4 8QP", "07700 900777", null);

    [Fact]
    public async Task Bug_18_a_yes_on_a_contact_gives_consent_to_the_teams_it_was_referred_to_and_no_others()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["homelessness"], resident: Dev, consent: true));
        await app.CaughtUpAsync();
        var contact = await api.ContactAsync(contactId);
        Assert.Equal(["housing"], contact.Referrals.Select(r => r.Service));

        var consent = await api.Client.GetFromJsonAsync<ConsentResponse>($"/api/residents/{contact.ResidentId:D}/consent");
        Assert.Equal(["housing"], consent!.Services);

        var history = (await api.Manager.GetFromJsonAsync<SubjectAccessResponse>($"/api/residents/{contact.ResidentId:D}/subject-access"))!.ConsentHistory;
        var given = Assert.Single(history);
        Assert.Equal(("given", "spoken", contactId), (given.Change, given.Method, given.ContactId));
        Assert.Equal(["housing"], given.Services);

        // A later contact referred elsewhere widens it by that team only.
        var later = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], resident: Dev, consent: true));
        await app.CaughtUpAsync();
        Assert.Equal((await api.ContactAsync(contactId)).ResidentId, (await api.ContactAsync(later)).ResidentId);
        consent = await api.Client.GetFromJsonAsync<ConsentResponse>($"/api/residents/{contact.ResidentId:D}/consent");
        Assert.Equal(["housing", "poverty-support"], consent!.Services.Order(StringComparer.Ordinal));
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_no_on_a_later_contact_withdraws_consent_from_the_team_it_was_referred_to_and_keeps_the_rest()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var first = await api.RecordAsync(Api.Contact("phone", ["homelessness", "money-and-debt"], resident: Dev, consent: true));
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(first)).ResidentId;

        await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], resident: Dev, consent: false));
        await app.CaughtUpAsync();

        var consent = await api.Client.GetFromJsonAsync<ConsentResponse>($"/api/residents/{residentId:D}/consent");
        Assert.Equal(["housing"], consent!.Services);
        await app.SettledAsync();
    }
}
