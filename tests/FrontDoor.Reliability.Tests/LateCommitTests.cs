using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Testing;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// A transaction draws a low position in the log and stays open while later contacts commit above it, for longer
/// than the "stale sequence" threshold after which an event daemon may give such a hole up as rolled back (a few
/// seconds by default). When it commits, its contact must be routed and counted like every other: nothing that
/// reads the log may have stepped over it.
/// </summary>
public sealed class LateCommitTests(ITestOutputHelper output)
{
    private static readonly TimeSpan HeldOpen = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task A_contact_committed_late_below_later_ones_is_still_routed_and_counted()
    {
        await using var cluster = await FaultCluster.StartAsync(nodes: 1);
        var node = cluster.Nodes[0];
        using var agent = await node.SignInAsync("agent");
        using var housing = await node.SignInAsync("worker", ServiceCodes.Housing);
        using var manager = await node.SignInAsync("manager");
        await using var store = await cluster.OpenStoreAsync();

        // The late contact, as the agents' endpoint would record it, appended inside a transaction left open.
        var late = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        const string Actor = "user:late-agent";
        var vault = new PersonalDataVault(store, TimeProvider.System);
        var events = await vault.ToEventDataAsync(
            [
                new ContactReceived(late, ChannelCodes.Phone, null, null, "Sleeping in the car since the weekend.", [NeedCodes.Homelessness], true, Actor, now),
                new NeedsAssessed(late, [NeedCodes.Homelessness], false, PriorityCodes.Urgent, Actor, now),
            ],
            _ => Guid.NewGuid(),
            new EventMetadata(late.ToString("D"), null, Actor),
            CancellationToken.None);
        var later = new List<Guid>();
        AppendResult lateAt;
        long head;
        await using (var held = await store.Subscriptions.BeginUnitOfWorkAsync())
        {
            lateAt = await held.AppendAsync(StreamIds.Contact(late), ExpectedVersion.NoStream, events);

            // Later contacts commit above it while it is open.
            for (var i = 0; i < 5; i++)
            {
                using var response = await agent.PostAsJsonAsync("/api/contacts", new RecordContactRequest(ChannelCodes.Phone, null, null, $"No home from tonight ({i}).", [NeedCodes.Homelessness], true));
                response.EnsureSuccessStatusCode();
                later.Add((await response.Content.ReadFromJsonAsync<ContactCreatedResponse>())!.ContactId);
            }

            head = await store.Events.ReadHeadPositionAsync();
            Assert.True(head > lateAt.Position, "the later contacts were appended above the open transaction's position");

            // The hold is the fault itself, not a wait for FrontDoor: the transaction stays open past the threshold.
            await Task.Delay(HeldOpen);
            await held.CommitAsync();
        }

        // Every contact, the late one too, reaches the housing queue and has its owner.
        await Eventually.True(
            async () =>
            {
                var queue = await housing.GetFromJsonAsync<QueueResponse>("/api/queues/housing");
                var onQueue = queue!.Items.Select(item => item.ContactId).ToHashSet();
                return later.Append(late).All(onQueue.Contains);
            },
            "every contact, the late one too, is on the housing queue",
            Scale.CatchUpSeconds);
        var contact = await agent.GetFromJsonAsync<ContactResponse>($"/api/contacts/{late}");
        var referral = Assert.Single(contact!.Referrals);
        Assert.Equal(ServiceCodes.Housing, referral.Service);
        var figures = await manager.GetFromJsonAsync<FiguresResponse>("/api/figures");
        Assert.Equal(0, figures!.ContactsWithoutOwner);
        output.WriteLine($"late contact at position {lateAt.Position}, held open {HeldOpen.TotalSeconds:F0} s below head {head}; routed to {referral.Service}");
    }
}
