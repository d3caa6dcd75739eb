using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// A deadline its handler cannot complete — the referral's row refuses to become overdue, as after a bad schema
/// change, and the row is written in the same transaction as the event — is retried, kept as a dead letter and
/// reported; once the schema is mended, <c>dead-letters replay</c> hands it back to the running node, which marks the
/// referral overdue once.
/// </summary>
public sealed class DeadLetterTests
{
    [Fact]
    public async Task A_deadline_that_fails_every_retry_is_a_dead_letter_reported_and_replayed_once_after_the_fix()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?>
        {
            ["FrontDoor:ImmediateTarget"] = "00:00:01",

            // The waits below ask every few milliseconds for up to a minute: more than a person's rate allows.
            ["RateLimits:PerUserPerMinute"] = "1000000",
        });
        var api = await Api.ForAsync(app);
        using var manager = await app.ClientAsAsync("manager");
        await ExecuteAsync(app, "ALTER TABLE rm_referrals ADD CONSTRAINT dead_letter_poison CHECK (overdue = 0)");

        var contactId = await api.RecordAsync(Api.Contact("phone", ["adult-safeguarding"], "Neighbour heard shouting and a fall."));
        await app.CaughtUpAsync();
        var referralId = Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;

        // Kept and said so where operators look: the readiness report (still ready) and the `dead-letters list` command.
        await Eventually.True(async () => await DeadLettersAsync(manager) == 1, "the deadline kept as a dead letter after its retries", 60);
        var listed = await Frontdoor.RunAsync(app, "dead-letters", "list");
        Assert.Contains("1 dead letter(s).", listed, StringComparison.Ordinal);
        var line = Assert.Single(listed.Split('\n'), l => l.Contains("ReferralDeadline", StringComparison.Ordinal));
        Assert.Contains("dead_letter_poison", line, StringComparison.Ordinal);
        Assert.False((await api.ReferralAsync(referralId)).Overdue);
        using (var ready = await manager.GetAsync("/health/ready/details"))
        {
            Assert.True(ready.IsSuccessStatusCode, "one dead letter does not take the node out of service");
        }

        // The fix, then the replay through the running node.
        await ExecuteAsync(app, "ALTER TABLE rm_referrals DROP CONSTRAINT dead_letter_poison");
        Assert.Contains("1 dead letter(s) will be replayed", await Frontdoor.RunAsync(app, "dead-letters", "replay"), StringComparison.Ordinal);
        await Eventually.True(async () => (await api.ReferralAsync(referralId)).Overdue, "the replayed deadline marks the referral overdue", 60);
        await Eventually.True(async () => await DeadLettersAsync(manager) == 0, "no dead letter left after the replay", 60);
        await app.CaughtUpAsync();

        Assert.Single((await api.ContactAsync(contactId)).History, h => h.Type == "referral-overdue.v1");
        Assert.Contains("0 dead letter(s).", await Frontdoor.RunAsync(app, "dead-letters", "list"), StringComparison.Ordinal);
        await app.SettledAsync();
    }

    private static async Task<long> DeadLettersAsync(HttpClient manager)
    {
        var report = await manager.GetFromJsonAsync<JsonElement>("/health/ready/details");
        return report.GetProperty("messages").GetProperty("deadLetters").GetInt64();
    }

    private static async Task ExecuteAsync(FrontDoorApp app, string sql)
    {
        await using var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
