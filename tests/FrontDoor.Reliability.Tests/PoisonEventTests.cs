using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Server.Operations;
using FrontDoor.Server.Routing;
using FrontDoor.Testing;
using Npgsql;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// A reaction the router cannot complete — the referral it raises is refused by the database, as after a bad schema
/// change, and the referral's queue row is written in the same transaction as its events — is retried with backoff,
/// kept as a dead letter and reported, while every other contact flows on; once the schema is mended, the
/// <c>dead-letters replay</c> command hands it back to the running node, and the referral is raised once.
/// </summary>
public sealed class PoisonEventTests(ITestOutputHelper output)
{
    private const string PoisonedService = ServiceCodes.Housing;

    [Fact]
    public async Task A_poison_reaction_is_a_dead_letter_reported_and_replayed_after_the_fix()
    {
        await using var cluster = await FaultCluster.StartAsync(nodes: 1);
        var node = cluster.Nodes[0];
        var schema = cluster.Settings.Schema;
        await cluster.ExecuteAsync($"ALTER TABLE {schema}.rm_referrals ADD CONSTRAINT reliability_poison CHECK (service <> '{PoisonedService}')");

        using var agent = await node.SignInAsync("agent");
        using var manager = await node.SignInAsync("manager");
        var before = await RecordAsync(agent, NeedCodes.MoneyAndDebt);
        var poisoned = await RecordAsync(agent, NeedCodes.HousingAdvice);
        var after = await RecordAsync(agent, NeedCodes.MoneyAndDebt);

        // Kept, and said so where operators look: the readiness report and the `dead-letters list` command.
        var retriedFor = System.Diagnostics.Stopwatch.StartNew();
        await Eventually.True(
            async () => await node.ReadinessAsync() is { } report && DeadLetters(report.Body) > 0,
            "the router's cause reported as a dead letter",
            60);
        retriedFor.Stop();
        var listed = await FrontdoorAsync(cluster, "dead-letters", "list");
        var line = Assert.Single(listed.Split('\n'), l => l.Contains(nameof(RouteCause), StringComparison.Ordinal));
        Assert.Contains("reliability_poison", line, StringComparison.Ordinal);

        // Everything else went on: the router referred the contacts either side of the poisoned one; the poisoned
        // contact's referral was rolled back with its row, not half-written.
        await LogAudit.WaitUntilCaughtUpAsync(cluster.Nodes);
        Assert.Equal(1, await ReferralRowsAsync(cluster, before));
        Assert.Equal(1, await ReferralRowsAsync(cluster, after));
        Assert.Equal(0, await ReferralRowsAsync(cluster, poisoned));
        Assert.Empty((await manager.GetFromJsonAsync<ContactResponse>($"/api/contacts/{poisoned:D}"))!.Referrals);
        var deadBeforeFix = DeadLetters((await node.ReadinessAsync())!.Value.Body);

        // The fix, then the replay through the running node.
        await cluster.ExecuteAsync($"ALTER TABLE {schema}.rm_referrals DROP CONSTRAINT reliability_poison");
        Assert.Contains("1 dead letter(s) will be replayed", await FrontdoorAsync(cluster, "dead-letters", "replay"), StringComparison.Ordinal);
        await Eventually.True(
            async () => await node.ReadinessAsync() is { } report && DeadLetters(report.Body) == 0,
            "the dead letter replayed",
            60);
        await LogAudit.WaitUntilCaughtUpAsync(cluster.Nodes);
        Assert.Equal(1, await ReferralRowsAsync(cluster, poisoned));
        Assert.Single((await manager.GetFromJsonAsync<ContactResponse>($"/api/contacts/{poisoned:D}"))!.Referrals);
        Assert.Contains("0 dead letter(s).", await FrontdoorAsync(cluster, "dead-letters", "list"), StringComparison.Ordinal);

        FaultFigures.Write(output, "poison-event", new Dictionary<string, object>
        {
            ["deadLettersBeforeFix"] = deadBeforeFix,
            ["secondsUntilDeadLetter"] = Math.Round(retriedFor.Elapsed.TotalSeconds, 1),
            ["deadLettersAfterReplay"] = DeadLetters((await node.ReadinessAsync())!.Value.Body),
        });
    }

    private static async Task<Guid> RecordAsync(HttpClient agent, string need)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/contacts")
        {
            Content = JsonContent.Create(new RecordContactRequest("phone", null, null, "Needs advice.", [need], true)),
        };
        message.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await agent.SendAsync(message);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ContactCreatedResponse>())!.ContactId;
    }

    private static long DeadLetters(System.Text.Json.JsonElement report) =>
        report.GetProperty("messages").GetProperty("deadLetters").GetInt64();

    private static async Task<long> ReferralRowsAsync(FaultCluster cluster, Guid contactId)
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand($"SELECT COUNT(*) FROM {cluster.Settings.Schema}.rm_referrals WHERE contact_id = $1");
        command.Parameters.AddWithValue(contactId.ToString("D"));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> FrontdoorAsync(FaultCluster cluster, params string[] command)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(["--connection-string", cluster.Settings.ConnectionString, "--schema", cluster.Settings.Schema, .. command], output, error);
        Assert.True(exit == 0, $"frontdoor {string.Join(' ', command)} exited {exit}: {error}");
        return output.ToString();
    }
}
