using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Server.Operations;
using FrontDoor.Server.Routing;
using FrontDoor.Testing;
using Npgsql;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// An event the router cannot process — the referral it raises is refused by the database, as after a bad schema
/// change, and the referral's queue row is written in the same transaction as its events — is retried, parked and
/// reported, while every other event flows on; once the schema is mended, the <c>parked replay</c> command drains it
/// through the running node, and the referral is raised once.
/// </summary>
public sealed class PoisonEventTests(ITestOutputHelper output)
{
    private const string PoisonedService = ServiceCodes.Housing;

    [Fact]
    public async Task A_poison_event_is_parked_reported_and_replayed_after_the_fix()
    {
        await using var cluster = await FaultCluster.StartAsync(nodes: 1);
        var node = cluster.Nodes[0];
        var schema = cluster.Settings.Schema;
        await ExecuteAsync(cluster, $"ALTER TABLE {schema}.rm_referrals ADD CONSTRAINT reliability_poison CHECK (service <> '{PoisonedService}')");

        using var agent = await node.SignInAsync("agent");
        using var manager = await node.SignInAsync("manager");
        var before = await RecordAsync(agent, NeedCodes.MoneyAndDebt);
        var poisoned = await RecordAsync(agent, NeedCodes.HousingAdvice);
        var after = await RecordAsync(agent, NeedCodes.MoneyAndDebt);

        // Parked, and said so where operators look: the readiness report and the `parked list` command.
        await Eventually.True(
            async () => await node.ReadinessAsync() is { } report && Parked(report.Body, ContactRouter.Name) > 0,
            "the router reporting a parked event",
            60);
        var listed = await FrontdoorAsync(cluster, "parked", "list");
        var lines = listed.Split('\n').Where(l => l.StartsWith(ContactRouter.Name, StringComparison.Ordinal) && l.Contains(StreamIds.Contact(poisoned), StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Contains("reliability_poison", line, StringComparison.Ordinal));

        // Retried before it was parked: the default is five attempts with backoff.
        var attempts = lines.Select(l => int.Parse(Regex.Match(l, "attempts=([0-9]+)").Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.All(attempts, a => Assert.Equal(5, a));

        // Everything else went on: the router referred the contacts either side of the poisoned one and caught up
        // past it; the poisoned contact's referral was rolled back with its row, not half-written.
        await LogAudit.WaitUntilCaughtUpAsync(cluster.Nodes);
        Assert.Equal(1, await ReferralRowsAsync(cluster, before));
        Assert.Equal(1, await ReferralRowsAsync(cluster, after));
        Assert.Equal(0, await ReferralRowsAsync(cluster, poisoned));
        Assert.Empty((await manager.GetFromJsonAsync<ContactResponse>($"/api/contacts/{poisoned:D}"))!.Referrals);
        var parkedBeforeFix = Parked((await node.ReadinessAsync())!.Value.Body, ContactRouter.Name);

        // The fix, then the replay through the running node.
        await ExecuteAsync(cluster, $"ALTER TABLE {schema}.rm_referrals DROP CONSTRAINT reliability_poison");
        await FrontdoorAsync(cluster, "parked", "replay", ContactRouter.Name);
        await Eventually.True(
            async () => await node.ReadinessAsync() is { } report && Parked(report.Body, ContactRouter.Name) == 0,
            "the parked events replayed",
            60);
        Assert.Equal(1, await ReferralRowsAsync(cluster, poisoned));
        Assert.Single((await manager.GetFromJsonAsync<ContactResponse>($"/api/contacts/{poisoned:D}"))!.Referrals);
        Assert.DoesNotContain(StreamIds.Contact(poisoned), await FrontdoorAsync(cluster, "parked", "list"), StringComparison.Ordinal);

        FaultFigures.Write(output, "poison-event", new Dictionary<string, object>
        {
            ["parkedBeforeFix"] = parkedBeforeFix,
            ["attemptsBeforeParking"] = attempts.Max(),
            ["parkedAfterReplay"] = Parked((await node.ReadinessAsync())!.Value.Body, ContactRouter.Name),
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

    private static long Parked(System.Text.Json.JsonElement report, string subscription) =>
        report.GetProperty("subscriptions").EnumerateArray().Single(s => s.GetProperty("name").GetString() == subscription).GetProperty("parked").GetInt64();

    private static async Task<long> ReferralRowsAsync(FaultCluster cluster, Guid contactId)
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand($"SELECT COUNT(*) FROM {cluster.Settings.Schema}.rm_referrals WHERE contact_id = $1");
        command.Parameters.AddWithValue(contactId.ToString("D"));
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(FaultCluster cluster, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
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
