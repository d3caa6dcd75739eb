using FrontDoor.Server.Operations;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

public sealed class SimulatorTests
{
    [Theory]
    [MemberData(nameof(FrontDoorApp.Backends), MemberType = typeof(FrontDoorApp))]
    public async Task Every_contact_the_simulator_sends_ends_with_an_owner(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        using var log = new StringWriter();

        var report = await new Simulator(() => app.CreateClient(), seed: 7, log).RunAsync(8, TimeSpan.FromSeconds(3), CancellationToken.None);
        await app.CaughtUpAsync();

        Assert.True(report.ContactsSent >= 20, log.ToString());
        Assert.Equal(report.ContactsSent, report.ContactsAcknowledged);
        Assert.Equal(0, report.Failures);
        Assert.True(report.ReferralsCompleted + report.ReferralsReturned > 0, "the teams worked some referrals: " + log);
        var api = await Api.ForAsync(app);
        foreach (var contactId in report.ContactIds)
        {
            Assert.True((await api.ContactAsync(contactId)).HasOwner, $"contact {contactId} has no owner");
        }

        await app.SettledAsync();
    }
}
