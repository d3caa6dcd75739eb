using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Testing;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// A deadline is a message in the database, not a timer in a process: with two nodes on one database, the node
/// running Wolverine's agent for scheduled messages is killed with SIGKILL after a referral's deadline was recorded
/// (in the transaction that raised the referral) and before it falls due; the survivor takes the agent over, finds
/// the message in the database, and marks the referral overdue once.
/// </summary>
public sealed class ScheduledTakeoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DueAfter = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_deadline_outlives_the_node_that_held_its_schedule()
    {
        await using var cluster = await FaultCluster.StartAsync(nodes: 2, environment: new Dictionary<string, string>
        {
            ["FrontDoor__ImmediateTarget"] = DueAfter.ToString("c"),
        });

        // The node to kill is the one running Wolverine's agent for scheduled messages.
        ServerProcess? scheduler = null;
        await Eventually.True(
            async () => (scheduler = (await Task.WhenAll(cluster.Nodes.Select(async n => (Node: n, Holds: await HoldsMessageAgentAsync(n))))).FirstOrDefault(n => n.Holds).Node) is not null,
            "a node running Wolverine's agent for scheduled messages",
            60);
        var survivor = cluster.Nodes.Single(n => n != scheduler);

        using var agent = await survivor.SignInAsync("agent");
        using var manager = await survivor.SignInAsync("manager");
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/contacts")
        {
            Content = JsonContent.Create(new RecordContactRequest("phone", null, null, "Neighbour found her on the floor, confused.", [NeedCodes.AdultSafeguarding], true)),
        };
        message.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var recorded = await agent.SendAsync(message);
        recorded.EnsureSuccessStatusCode();
        var contactId = (await recorded.Content.ReadFromJsonAsync<ContactCreatedResponse>())!.ContactId;

        ContactReferralView? referral = null;
        await Eventually.True(
            async () => (referral = (await manager.GetFromJsonAsync<ContactResponse>($"/api/contacts/{contactId:D}"))!.Referrals.SingleOrDefault()) is not null,
            "the referral raised",
            60);
        Assert.False(referral!.Overdue);

        // The deadline was recorded in the transaction that raised the referral: it exists now, as a stored message.
        Assert.True(DateTimeOffset.UtcNow < referral.DueAt, "the scheduling node is killed before the deadline comes due");

        await scheduler!.KillAsync();
        var killed = Stopwatch.StartNew();
        await Eventually.True(
            async () => (await manager.GetFromJsonAsync<ReferralResponse>($"/api/referrals/{referral.ReferralId:D}"))!.Overdue,
            "the survivor marking the referral overdue",
            120);
        var handledAt = DateTimeOffset.UtcNow;
        var contact = (await manager.GetFromJsonAsync<ContactResponse>($"/api/contacts/{contactId:D}"))!;
        await Eventually.True(async () => await HoldsMessageAgentAsync(survivor), "the survivor running Wolverine's agent for scheduled messages", 60);
        var survivorHoldsAfterKillSeconds = killed.Elapsed.TotalSeconds;

        FaultFigures.Write(output, "scheduled-takeover", new Dictionary<string, object>
        {
            ["dueAfterSeconds"] = DueAfter.TotalSeconds,
            ["handledAfterKillSeconds"] = Math.Round(killed.Elapsed.TotalSeconds, 2),
            ["handledAfterDueSeconds"] = Math.Round((handledAt - referral.DueAt).TotalSeconds, 2),
            ["survivorHoldsAgentAfterKillSeconds"] = Math.Round(survivorHoldsAfterKillSeconds, 2),
        });
        Assert.Single(contact.History, h => h.Type == "referral-overdue.v1");
        Assert.Equal("system:sla-clock", contact.History.Single(h => h.Type == "referral-overdue.v1").Actor);
    }

    /// <summary>Whether the node's report lists Wolverine's agent for the message database.</summary>
    private static async Task<bool> HoldsMessageAgentAsync(ServerProcess node) =>
        await node.ReadinessAsync() is { } report
        && report.Body.GetProperty("messages") is { ValueKind: JsonValueKind.Object } messages
        && messages.GetProperty("agents").EnumerateArray().Any(a => a.GetString()!.StartsWith("wolverinedb://", StringComparison.Ordinal));
}
