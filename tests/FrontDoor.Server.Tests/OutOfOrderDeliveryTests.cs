using System.Net.Http.Json;
using System.Text;
using FrontDoor.Contracts;
using FrontDoor.Server.Infrastructure.Messaging;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Routing;
using FrontDoor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDoor.Server.Tests;

/// <summary>
/// Reactions are messages delivered at least once and in no promised order. The router must therefore decide from
/// the streams as they stand, not from the order its causes reach it: handed a cause for every event, backwards and
/// then again in a shuffled order, through its Wolverine handler, it must leave every contact, referral and resident
/// where delivery as the appends happened leaves them.
/// </summary>
public sealed class OutOfOrderDeliveryTests
{
    private static readonly ResidentDetails Ann = new("Ann Example", "1961-04-12", "CH1 2AB", null, null);

    [Fact]
    public async Task Handing_the_router_every_event_twice_and_out_of_order_ends_where_in_order_delivery_ends()
    {
        var inOrder = await RunAsync(scrambled: false);
        var outOfOrder = await RunAsync(scrambled: true);

        // The journey's end, in order: each contact's answer covers the teams it was referred to (the phone's "no"
        // housing and poverty support, the drop-in's "yes" adult social care), every referral finished and the
        // returned one's replacement with it.
        Assert.Contains("consent: adult-social-care\n", inOrder, StringComparison.Ordinal);
        Assert.Contains("  housing=returned", inOrder, StringComparison.Ordinal);
        Assert.Equal(inOrder, outOfOrder);
    }

    private static async Task<string> RunAsync(bool scrambled)
    {
        // Scrambled, no append records a cause for the router: it runs only when the test hands it causes; the read
        // models and every other reaction run as ever.
        await using var app = await FrontDoorApp.StartAsync("postgres", services: scrambled ? WithoutLiveRouter : null);
        var api = await Api.ForAsync(app);
        var delivery = new Delivery(app);
        async Task SettleAsync()
        {
            if (scrambled)
            {
                await delivery.ScrambleUntilNothingChangesAsync();
            }

            await app.CaughtUpAsync();
        }

        // Ann says "no" on the phone, then "yes" at a drop-in; a web contact names no need and goes to triage.
        var phone = await api.RecordAsync(Api.Contact("phone", ["homelessness", "money-and-debt"], resident: Ann, consent: false));
        var dropIn = await api.RecordAsync(Api.Contact("lets-talk", ["care-and-support"], siteId: "lets-talk-lache", resident: Ann, consent: true));
        var web = await api.RecordAsync(Api.Contact("web", [], "Not sure who to ask."));
        await SettleAsync();

        var referrals = (await api.ContactAsync(phone)).Referrals;
        await api.ActOkAsync(referrals.Single(r => r.Service == "housing").ReferralId, "return", new ReturnReferralRequest("Not ours: this is about debt.", "poverty-support"));
        await api.WorkThroughAsync(referrals.Single(r => r.Service == "poverty-support").ReferralId);
        await api.WorkThroughAsync(Assert.Single((await api.ContactAsync(dropIn)).Referrals).ReferralId);
        await api.WorkThroughAsync(Assert.Single((await api.ContactAsync(web)).Referrals).ReferralId);
        await SettleAsync();

        foreach (var open in (await api.ContactAsync(phone)).Referrals.Where(r => r.Status != "returned" && r.Status != "completed"))
        {
            await api.WorkThroughAsync(open.ReferralId);
        }

        await SettleAsync();

        var text = new StringBuilder();
        foreach (var (name, contactId) in new[] { ("phone", phone), ("drop-in", dropIn), ("web", web) })
        {
            var contact = await api.ContactAsync(contactId);
            text.Append(name).Append(": ").Append(contact.Status).Append(", follow-up ").Append(contact.FollowUp.State).Append(", owner ").Append(contact.HasOwner).AppendLine();
            foreach (var referral in contact.Referrals.OrderBy(r => r.Service, StringComparer.Ordinal).ThenBy(r => r.Status, StringComparer.Ordinal))
            {
                text.Append("  ").Append(referral.Service).Append('=').Append(referral.Status).AppendLine();
            }
        }

        var residentId = (await api.ContactAsync(phone)).ResidentId!.Value;
        Assert.Equal(residentId, (await api.ContactAsync(dropIn)).ResidentId);
        var consent = await api.Client.GetFromJsonAsync<ConsentResponse>($"/api/residents/{residentId}/consent");
        text.Append("consent: ").AppendJoin(',', consent!.Services.Order(StringComparer.Ordinal)).AppendLine();
        await app.SettledAsync();
        return text.ToString();
    }

    private static void WithoutLiveRouter(IServiceCollection services)
    {
        var rules = services.Where(d => d.ImplementationInstance is ReactionRule { MessageType: var type } && type == typeof(RouteCause)).ToList();
        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            services.Remove(rule);
        }
    }

    /// <summary>Hands the router a cause for every event of the log, backwards and then shuffled, until it decides nothing more.</summary>
    private sealed class Delivery(FrontDoorApp app)
    {
        private readonly Random _shuffle = new(16);
        private long _handed;

        public async Task ScrambleUntilNothingChangesAsync()
        {
            while (await app.Store.ReadHeadPositionAsync() is var head && head > _handed)
            {
                var fresh = await app.Store.ReadAllBetweenAsync(_handed, head).ToListAsync();
                _handed = head;
                var once = Enumerable.Reverse(fresh).ToList();
                var again = fresh.OrderBy(_ => _shuffle.Next()).ToList();
                foreach (var recorded in once.Concat(again))
                {
                    // Through the router's own message handler, one transaction per cause, as Wolverine delivers it.
                    await app.HandleNowAsync(new RouteCause(recorded.StreamId, recorded.StreamVersion));
                }
            }
        }
    }
}
