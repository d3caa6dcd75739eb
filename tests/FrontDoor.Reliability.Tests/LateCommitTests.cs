using System.Collections.Concurrent;
using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Testing;
using Npgsql;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// A contact's append draws a low position in the log and then stalls (a trigger sleeps inside its transaction) while
/// later contacts commit above it, for longer than the "stale sequence" threshold after which an event daemon may
/// give such a hole up as rolled back (a few seconds by default). When it commits, its contact must be routed (its
/// reactions were recorded in that same transaction) and pushed to the team's dashboard like every other: the node's
/// follower of the log must not have stepped over it, nor Marten's daemon, which counts the day's contacts for the wall.
/// </summary>
public sealed class LateCommitTests(ITestOutputHelper output)
{
    private static readonly TimeSpan HeldOpen = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task A_contact_committed_late_below_later_ones_is_still_routed_pushed_and_counted()
    {
        await using var cluster = await FaultCluster.StartAsync(nodes: 1);
        var node = cluster.Nodes[0];
        var schema = cluster.Settings.Schema;
        using var agent = await node.SignInAsync("agent");
        using var housing = await node.SignInAsync("worker", ServiceCodes.Housing);
        using var manager = await node.SignInAsync("manager");
        var pushed = new ConcurrentDictionary<Guid, long>();
        await using var dashboard = await node.ConnectHubAsync(await node.TokenAsync("worker", ServiceCodes.Housing), (target, message) =>
        {
            if (target == "queueChanged")
            {
                pushed.TryAdd(message.GetProperty("contactId").GetGuid(), message.GetProperty("position").GetInt64());
            }
        });
        await dashboard.InvokeAsync("WatchQueue", ServiceCodes.Housing, null);

        // Marten's daemon is running (it has counted a first contact) before the fault, so it meets the hole.
        using (var first = await agent.PostAsJsonAsync("/api/contacts", new RecordContactRequest(ChannelCodes.Phone, null, null, "Sofa surfing, out on Friday.", [NeedCodes.Homelessness], true)))
        {
            first.EnsureSuccessStatusCode();
        }

        await Eventually.True(
            async () => (await manager.GetFromJsonAsync<FiguresResponse>("/api/figures"))!.ContactsToday == 1,
            "the daemon counts the first contact",
            Scale.CatchUpSeconds);

        // The fault: the one contact that came in by the web stalls after its events drew their positions.
        await cluster.ExecuteAsync($"""
            CREATE FUNCTION {schema}.reliability_stall() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              PERFORM pg_sleep({HeldOpen.TotalSeconds});
              RETURN NEW;
            END $$;
            CREATE TRIGGER reliability_stall BEFORE INSERT ON {schema}.mt_events
              FOR EACH ROW WHEN (NEW.type = 'contact-received.v1' AND NEW.data->>'channel' = '{ChannelCodes.Web}')
              EXECUTE FUNCTION {schema}.reliability_stall();
            """);

        var lateRequest = agent.PostAsJsonAsync("/api/contacts", new RecordContactRequest(ChannelCodes.Web, null, null, "Sleeping in the car since the weekend.", [NeedCodes.Homelessness], true));

        // Later contacts commit above it once it is stalled (its backend asleep in the trigger, positions drawn).
        await Eventually.True(
            async () => await StalledAsync(cluster) > 0,
            "the web contact's append stalled inside its transaction",
            30);
        var later = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await agent.PostAsJsonAsync("/api/contacts", new RecordContactRequest(ChannelCodes.Phone, null, null, $"No home from tonight ({i}).", [NeedCodes.Homelessness], true));
            response.EnsureSuccessStatusCode();
            later.Add((await response.Content.ReadFromJsonAsync<ContactCreatedResponse>())!.ContactId);
        }

        Assert.False(lateRequest.IsCompleted, "the web contact is still stalled while the later ones are acknowledged");
        using var lateResponse = await lateRequest;
        lateResponse.EnsureSuccessStatusCode();
        var late = (await lateResponse.Content.ReadFromJsonAsync<ContactCreatedResponse>())!.ContactId;
        await cluster.ExecuteAsync($"DROP TRIGGER reliability_stall ON {schema}.mt_events");

        // Every contact, the late one too, reaches the housing queue, its dashboard, and has its owner.
        await Eventually.True(
            async () =>
            {
                var queue = await housing.GetFromJsonAsync<QueueResponse>("/api/queues/housing");
                var onQueue = queue!.Items.Select(item => item.ContactId).ToHashSet();
                return later.Append(late).All(onQueue.Contains);
            },
            "every contact, the late one too, is on the housing queue",
            Scale.CatchUpSeconds);
        await Eventually.True(() => Task.FromResult(later.Append(late).All(pushed.ContainsKey)), "every contact's referral pushed to the housing dashboard", 60);
        var contact = await agent.GetFromJsonAsync<ContactResponse>($"/api/contacts/{late}");
        Assert.Equal(ServiceCodes.Housing, Assert.Single(contact!.Referrals).Service);
        var figures = await manager.GetFromJsonAsync<FiguresResponse>("/api/figures");
        Assert.Equal(0, figures!.ContactsWithoutOwner);

        // Marten's daemon counts the day's contacts behind the log: it waited at the late contact's hole for as long
        // as its transaction ran, so the late one is counted, not stepped over.
        await Eventually.True(
            async () => (await manager.GetFromJsonAsync<FiguresResponse>("/api/figures"))!.ContactsToday >= later.Count + 2,
            "the wall's count of today's contacts includes the late one",
            Scale.CatchUpSeconds);
        figures = await manager.GetFromJsonAsync<FiguresResponse>("/api/figures");
        Assert.Equal(1, figures!.ContactsTodayByChannel.Single(c => c.Key == ChannelCodes.Web).Count);
        Assert.Equal(later.Count + 1, figures.ContactsTodayByChannel.Single(c => c.Key == ChannelCodes.Phone).Count);

        // The fault happened as meant: the late contact's position is below the later contacts'.
        var latePosition = await PositionOfAsync(cluster, late);
        var laterPositions = await Task.WhenAll(later.Select(id => PositionOfAsync(cluster, id)));
        Assert.True(laterPositions.All(p => p > latePosition), $"the late contact at {latePosition} is below the later ones ({string.Join(", ", laterPositions)})");
        output.WriteLine($"late contact at position {latePosition}, held open {HeldOpen.TotalSeconds:F0} s below {laterPositions.Min()}..{laterPositions.Max()}; routed and pushed");
    }

    private static async Task<long> StalledAsync(FaultCluster cluster)
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> PositionOfAsync(FaultCluster cluster, Guid contactId)
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand($"SELECT seq_id FROM {cluster.Settings.Schema}.mt_events WHERE stream_id = $1 AND version = 1");
        command.Parameters.AddWithValue(StreamIds.Contact(contactId));
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
