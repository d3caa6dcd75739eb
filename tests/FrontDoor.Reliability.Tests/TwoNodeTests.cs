using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Testing;
using Npgsql;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// Two FrontDoor processes on one PostgreSQL database with the load spread over both. Each node handles the reactions
/// its own appends recorded; when one is killed, what it had recorded and not yet handled is taken over by the other
/// (Wolverine's stale-node detection), so every contact acknowledged before the kill still ends with an owner — and a
/// manager's dashboard on the surviving node hears of every referral change, before and after the kill, once. The
/// victim is the node running Marten's daemon, whose counting of the day moves to the survivor without a contact
/// counted twice or lost.
/// </summary>
public sealed class TwoNodeTests(ITestOutputHelper output)
{
    /// <summary>The promise: the killed node's unfinished work is done by the survivor within 10 s.</summary>
    private static readonly TimeSpan TakeoverBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_survivor_finishes_the_killed_nodes_work_and_its_dashboard_hears_every_change()
    {
        await using var cluster = await FaultCluster.StartAsync(nodes: 2);

        // The victim is the node Wolverine gave Marten's daemon to, so its death moves the day's counting as well.
        ServerProcess? daemonNode = null;
        await Eventually.True(async () => (daemonNode = await DaemonNodeAsync(cluster)) is not null, "one node runs Marten's daemon", 60);
        var victim = daemonNode!;
        var survivor = cluster.Nodes.Single(node => node != victim);
        var pushed = new ConcurrentBag<long>();
        await using var dashboard = await survivor.ConnectHubAsync(await survivor.TokenAsync("manager"), (target, message) =>
        {
            if (target == "queueChanged")
            {
                pushed.Add(message.GetProperty("position").GetInt64());
            }
        });
        foreach (var service in Domain.Vocabulary.Services)
        {
            await dashboard.InvokeAsync("WatchQueue", service, null);
        }

        long watchingFrom;
        await using (var store = await cluster.OpenStoreAsync())
        {
            watchingFrom = await store.Events.ReadHeadPositionAsync();
        }

        var load = new ContactLoad(cluster.Addresses, await cluster.TokensAsync("agent", Scale.Agents));
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        double takeoverSeconds;
        int unownedAtKill;
        try
        {
            await Task.Delay(Scale.TwoNodeLoad);
            Assert.True(load.Acknowledged.Count > 0);

            // So that the victim certainly dies holding work: for a moment the database refuses housing referrals, and
            // contacts recorded on the victim meanwhile wait there for their routing's next retry when it is killed.
            await cluster.ExecuteAsync($"ALTER TABLE {cluster.Settings.Schema}.rm_referrals ADD CONSTRAINT reliability_held CHECK (service <> '{Domain.ServiceCodes.Housing}') NOT VALID");
            using var victimAgent = await victim.SignInAsync("agent");
            var held = new List<Guid>();
            for (var i = 0; i < 3; i++)
            {
                using var response = await victimAgent.PostAsJsonAsync("/api/contacts", new RecordContactRequest("phone", null, null, $"Given notice to leave ({i}).", [Domain.NeedCodes.HousingAdvice], true));
                response.EnsureSuccessStatusCode();
                held.Add((await response.Content.ReadFromJsonAsync<ContactCreatedResponse>())!.ContactId);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300));
            await cluster.ExecuteAsync($"ALTER TABLE {cluster.Settings.Schema}.rm_referrals DROP CONSTRAINT reliability_held");
            await victim.KillAsync();
            var killed = Stopwatch.StartNew();

            // Everything acknowledged before the kill — by either node — ends owned: what the victim had recorded and
            // not yet handled is the survivor's once the victim is known to be gone.
            var beforeKill = load.Acknowledged.Select(a => a.ContactId).Concat(held).ToArray();
            unownedAtKill = await UnownedAsync(cluster, beforeKill);
            await Eventually.True(async () => await UnownedAsync(cluster, beforeKill) == 0, "every contact acknowledged before the kill owned", 60);
            takeoverSeconds = killed.Elapsed.TotalSeconds;

            // More load, now served by the survivor alone.
            var afterKill = load.Acknowledged.Count;
            await Eventually.True(() => load.Acknowledged.Count > afterKill + 20, "contacts acknowledged after the kill", 60);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        // Every change to every referral since the dashboard joined reached it, once.
        await LogAudit.WaitUntilCaughtUpAsync([survivor]);
        List<long> changes = [];
        await using (var store = await cluster.OpenStoreAsync())
        {
            await foreach (var recorded in store.Events.ReadAllBetweenAsync(watchingFrom, await store.Events.ReadHeadPositionAsync()))
            {
                if (StreamName.CategoryOf(recorded.StreamId) == "referral")
                {
                    changes.Add(recorded.Position);
                }
            }
        }

        await Eventually.True(() => changes.All(pushed.Contains), "every referral change pushed to the dashboard on the survivor", 60);
        var received = pushed.ToList();

        // Before the audit stops the nodes: the daemon moved to the survivor (the audit then checks that the wall
        // counts every contact of the log once, across the move).
        await Eventually.True(async () => await DaemonNodeAsync(cluster) == survivor, "the survivor runs Marten's daemon", 60);
        var audit = await cluster.AuditAsync(load.Acknowledged);
        FaultFigures.Write(output, "two-nodes", new Dictionary<string, object>(FaultFigures.Of(audit))
        {
            ["unownedAtKill"] = unownedAtKill,
            ["takeoverSeconds"] = Math.Round(takeoverSeconds, 2),
            ["referralChanges"] = changes.Count,
            ["pushedToSurvivorDashboard"] = received.Count,
            ["missedByDashboard"] = changes.Count(c => !received.Contains(c)),
        });

        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.True(takeoverSeconds <= TakeoverBound.TotalSeconds, $"takeover took {takeoverSeconds:F1} s; the bound is {TakeoverBound.TotalSeconds} s");
        Assert.True(audit.Clean, $"{audit}\n{cluster.RecentLogs}");
    }

    /// <summary>The node whose readiness says it runs Marten's daemon's day-activity projection, if one does yet.</summary>
    private static async Task<ServerProcess?> DaemonNodeAsync(FaultCluster cluster)
    {
        foreach (var node in cluster.Nodes.Where(n => n.IsRunning))
        {
            if (await LogAudit.DayActivityAsync(node) is { } daemon && daemon.GetProperty("active").GetBoolean())
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>How many of <paramref name="contacts"/> have no owner yet, from the contacts' read model.</summary>
    private static async Task<int> UnownedAsync(FaultCluster cluster, Guid[] contacts)
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand($"SELECT COUNT(*) FROM {cluster.Settings.Schema}.rm_contacts WHERE has_owner = 0 AND contact_id = ANY($1)");
        command.Parameters.AddWithValue(contacts.Select(c => c.ToString("D")).ToArray());
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }
}
