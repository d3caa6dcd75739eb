using System.Net;
using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>Work a team hands back arrives at the next team with where it came from and why.</summary>
public sealed class ReturnedWorkTests
{
    [Fact]
    public async Task Bug_17_the_team_receiving_returned_work_reads_which_team_returned_it_and_why()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Behind with the rent since the hours were cut.", resident: new ResidentDetails("Owen Pryce", "1977-09-21", "CH1 4HJ", null, null)));
        await app.CaughtUpAsync();
        var returned = Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;
        await api.ActOkAsync(returned, "claim");
        await api.ActOkAsync(returned, "return", new ReturnReferralRequest("Arrears from a benefit sanction, not a tenancy problem.", "poverty-support"));
        await app.CaughtUpAsync();

        var replacement = Assert.Single((await api.ContactAsync(contactId)).Referrals, r => r.Status == "raised");
        var poverty = api.Worker("poverty-support");

        // The team receiving it may not open the housing referral, and still reads why it came back.
        using (var housingReferral = await poverty.GetAsync($"/api/referrals/{returned:D}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, housingReferral.StatusCode);
        }

        var view = (await poverty.GetFromJsonAsync<ReferralResponse>($"/api/referrals/{replacement.ReferralId:D}"))!;
        Assert.Equal(returned, view.PreviousReferralId);
        var from = view.ReturnedFrom!;
        Assert.Equal((returned, "housing", "Arrears from a benefit sanction, not a tenancy problem."), (from.ReferralId, from.Service, from.Reason));
        Assert.NotNull(from.ReturnedBy);
        Assert.NotNull(from.ReturnedAt);

        // A referral raised for a contact, not returned work, says nothing about a return.
        Assert.Null((await api.ReferralAsync(returned)).ReturnedFrom);
        await app.SettledAsync();
    }
}
