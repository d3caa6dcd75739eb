using FrontDoor.Domain;
using FrontDoor.Server.Routing;
using FrontDoor.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Runtime;

namespace FrontDoor.Server.Tests;

/// <summary>
/// A reaction can be stored and yet held by no queue: the append that recorded it committed, but the database died
/// before the node heard so, and the node never handed it to its local queue. Nothing in the node will ask for it
/// again, so the inbox's stale sweep must: once out of every node's hands for the stale time, any node takes it up.
/// </summary>
public sealed class StrandedReactionTests
{
    [Fact]
    public async Task Bug_16_a_reaction_committed_but_never_queued_is_handled_once_it_is_stale()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?> { ["Messaging:InboxStaleTime"] = "00:00:02" });
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Needs a letter for the landlord."));
        await app.CaughtUpAsync();
        Assert.Single((await api.ContactAsync(contactId)).Referrals);

        // The router's cause for that contact as the lost commit leaves it: in this node's inbox, in no queue.
        var runtime = app.Services.GetRequiredService<IWolverineRuntime>();
        var envelope = Assert.Single(runtime.RoutingFor(typeof(RouteCause)).RouteForPublish(new RouteCause(StreamIds.Contact(contactId), 1), null));
        envelope.OwnerId = runtime.DurabilitySettings.AssignedNodeNumber;
        envelope.Status = EnvelopeStatus.Incoming;
        await runtime.Storage.Inbox.StoreIncomingAsync(envelope);
        Assert.Equal(1, (await app.MessagesAsync()).Waiting);

        await Eventually.True(async () => (await app.MessagesAsync()).Waiting == 0, "the stranded cause handled", 60);

        // Handled as every redelivery is: the contact's referral stands once, not twice.
        Assert.Single((await api.ContactAsync(contactId)).Referrals);
        await app.SettledAsync();
    }
}
