using System.Net;
using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// "Tell us once" for a service worker on a case: the resident's other contacts and open referrals in every team, with
/// who holds them — where the resident's consent covers the worker's service, and not otherwise.
/// </summary>
public sealed class ResidentWorkTests
{
    private static readonly ResidentDetails Kay = new("Kay Doyle", "1969-07-30", "CH3 5RT", "07700 900654", null);

    [Fact]
    public async Task A_worker_on_a_case_sees_the_residents_other_contacts_and_open_referrals_with_who_holds_them()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var first = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Damp and mould in the flat.", resident: Kay));
        await app.CaughtUpAsync();
        var second = await api.RecordAsync(Api.Contact("lets-talk", ["money-and-debt"], "Behind with the gas bill.", siteId: "lets-talk-lache", resident: Kay));
        await app.CaughtUpAsync();
        var housing = Assert.Single((await api.ContactAsync(first)).Referrals).ReferralId;
        var poverty = Assert.Single((await api.ContactAsync(second)).Referrals).ReferralId;
        await api.ActOkAsync(poverty, "claim");

        var work = (await api.Worker("housing").GetFromJsonAsync<ResidentWorkResponse>($"/api/referrals/{housing:D}/resident-work"))!;
        Assert.True(work.Shared);
        var other = Assert.Single(work.OpenReferrals);
        Assert.Equal((poverty, "poverty-support", "claimed", "demo-worker-poverty-support", "Wren Worker (poverty-support)"), (other.ReferralId, other.Service, other.Status, other.HeldBy, other.HeldByName));
        var earlier = Assert.Single(work.Contacts);
        Assert.Equal((second, "lets-talk", "lets-talk-lache"), (earlier.ContactId, earlier.Channel, earlier.SiteId));

        // Another team is not told the case exists.
        using var otherTeam = await api.Worker("early-help").GetAsync($"/api/referrals/{housing:D}/resident-work");
        Assert.Equal(HttpStatusCode.NotFound, otherTeam.StatusCode);
        await app.SettledAsync();
    }

    [Fact]
    public async Task Without_consent_to_share_the_worker_is_told_nothing_of_the_residents_other_work()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var first = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Damp and mould in the flat.", resident: Kay, consent: false));
        await app.CaughtUpAsync();
        await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], "Behind with the gas bill.", resident: Kay, consent: false));
        await app.CaughtUpAsync();
        var housing = Assert.Single((await api.ContactAsync(first)).Referrals).ReferralId;

        var work = (await api.Worker("housing").GetFromJsonAsync<ResidentWorkResponse>($"/api/referrals/{housing:D}/resident-work"))!;
        Assert.Equal((false, (Guid?)null, 0, 0), (work.Shared, work.ResidentId, work.Contacts.Count, work.OpenReferrals.Count));

        // A manager, who oversees every team, does see it.
        var managers = (await api.Manager.GetFromJsonAsync<ResidentWorkResponse>($"/api/referrals/{housing:D}/resident-work"))!;
        Assert.True(managers.Shared);
        Assert.Single(managers.OpenReferrals);
        await app.SettledAsync();
    }
}
