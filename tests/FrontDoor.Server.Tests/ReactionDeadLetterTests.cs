using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FrontDoor.Server.Tests;

/// <summary>
/// A reaction to the log its handler cannot complete — the router's referral is refused by the database, as after a
/// bad schema change, and the referral's queue row is written in the same transaction as its events — is retried,
/// kept as a dead letter and listed, while every other contact is routed past it; once mended, <c>dead-letters
/// replay</c> hands it back, and the referral is raised once: by the running node, or by the next node to start.
/// </summary>
public sealed class ReactionDeadLetterTests
{
    private const string Poison = $"ALTER TABLE rm_referrals ADD CONSTRAINT reaction_poison CHECK (service <> '{ServiceCodes.Housing}')";
    private const string Mend = "ALTER TABLE rm_referrals DROP CONSTRAINT reaction_poison";

    [Fact]
    public async Task A_reaction_that_fails_every_retry_is_a_dead_letter_others_pass_and_a_replay_routes_it_once()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        await ExecuteAsync(app, Poison);

        var before = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], "Behind on the rent."));
        var poisoned = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Needs a letter."));
        var after = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], "Behind on council tax."));
        await Eventually.True(async () => (await app.MessagesAsync()).DeadLetters == 1, "the router's cause kept as a dead letter after its retries", 60);

        // Kept, not stuck: the contacts either side were routed, and the poisoned one's referral was rolled back whole.
        await app.CaughtUpAsync();
        Assert.Single((await api.ContactAsync(before)).Referrals);
        Assert.Single((await api.ContactAsync(after)).Referrals);
        Assert.Empty((await api.ContactAsync(poisoned)).Referrals);
        var listed = await Frontdoor.RunAsync(app, "dead-letters", "list");
        Assert.Contains("1 dead letter(s).", listed, StringComparison.Ordinal);
        Assert.Contains("reaction_poison", Assert.Single(listed.Split('\n'), l => l.Contains("RouteCause", StringComparison.Ordinal)), StringComparison.Ordinal);

        await ExecuteAsync(app, Mend);
        Assert.Contains("1 dead letter(s) will be replayed", await Frontdoor.RunAsync(app, "dead-letters", "replay"), StringComparison.Ordinal);
        await Eventually.True(async () => (await api.ContactAsync(poisoned)).Referrals.Count == 1, "the replayed cause routes the contact", 60);
        await app.CaughtUpAsync();
        Assert.Equal(ServiceCodes.Housing, Assert.Single((await api.ContactAsync(poisoned)).Referrals).Service);
        Assert.Contains("0 dead letter(s).", await Frontdoor.RunAsync(app, "dead-letters", "list"), StringComparison.Ordinal);
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_replay_requested_while_the_node_is_stopped_is_handled_when_a_node_starts()
    {
        var app = await FrontDoorApp.StartAsync("postgres");
        FrontDoorApp? restarted = null;
        try
        {
            var api = await Api.ForAsync(app);
            await ExecuteAsync(app, Poison);
            var poisoned = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], "Needs a letter."));
            await Eventually.True(async () => (await app.MessagesAsync()).DeadLetters == 1, "the router's cause kept as a dead letter after its retries", 60);
            await ExecuteAsync(app, Mend);
            app.KeepData = true;
            await app.DisposeAsync();

            Assert.Contains("RouteCause", await Frontdoor.RunAsync(app, "dead-letters", "list"), StringComparison.Ordinal);
            Assert.Contains("1 dead letter(s) will be replayed", await Frontdoor.RunAsync(app, "dead-letters", "replay"), StringComparison.Ordinal);

            restarted = await app.RestartedAsync();
            var again = await Api.ForAsync(restarted);
            await Eventually.True(async () => (await again.ContactAsync(poisoned)).Referrals.Count == 1, "the replayed cause routes the contact", 60);
            await restarted.CaughtUpAsync();
            Assert.Single((await again.ContactAsync(poisoned)).Referrals);
            await restarted.SettledAsync();
        }
        finally
        {
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }

            await app.DisposeAsync();
            await app.DeleteDataAsync();
        }
    }

    [Fact]
    public async Task Bug_19_a_reaction_that_fails_on_a_residents_record_leaves_no_plaintext_in_its_dead_letter_or_the_logs()
    {
        // The router's link of the contact to its resident is refused by the residents' table, whose failing row the
        // database puts in its error (as PostgreSQL's "failing row contains" does): the row holds no personal data,
        // so neither does the error, the dead letter it is kept in, or any log line.
        var resident = new Contracts.ResidentDetails("Wilhelmina Pettigrew-Orme", "1939-08-14", "CH2 3YZ", "07700 900313", "w.pettigrew@example.org");
        const string Said = "the lavender teapot was left on the hob";
        var logs = new CapturedLogs();
        await using var app = await FrontDoorApp.StartAsync("postgres", services: services => services.AddSingleton<ILoggerProvider>(logs));
        var api = await Api.ForAsync(app);
        await ExecuteAsync(app, "ALTER TABLE rm_residents ADD CONSTRAINT link_poison CHECK (contact_count = 0)");
        await api.RecordAsync(Api.Contact("phone", ["housing-advice"], $"Says {Said}.", resident: resident));
        await Eventually.True(async () => (await app.MessagesAsync()).DeadLetters == 1, "the link kept as a dead letter after its retries", 60);

        await using var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None);
        var deadLetters = await Sql.QueryAsync(
            connection,
            null,
            "SELECT * FROM wolverine_dead_letters",
            r => string.Join('\u001f', Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? string.Empty : r.GetValue(i) is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))),
            CancellationToken.None);
        var deadLetter = Assert.Single(deadLetters);
        Assert.Contains("link_poison", deadLetter, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, line => line.Contains("link_poison", StringComparison.Ordinal));
        string[] traces = [resident.Name!, "Pettigrew", resident.DateOfBirth!, resident.Postcode!, "CH23YZ", resident.Phone!, resident.Email!, "lavender teapot"];
        Assert.DoesNotContain(traces, trace => deadLetter.Contains(trace, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(logs.Lines, line => traces.Any(trace => line.Contains(trace, StringComparison.OrdinalIgnoreCase)));
    }

    private static async Task ExecuteAsync(FrontDoorApp app, string sql)
    {
        await using var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
