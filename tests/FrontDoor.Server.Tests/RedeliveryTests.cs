using System.Text;
using FrontDoor.Contracts;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Messaging;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Residents.ErasingResident;
using FrontDoor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDoor.Server.Tests;

/// <summary>At-least-once delivery is the contract, so every handler must shrug off a message it has already handled.</summary>
public sealed class RedeliveryTests
{
    private static readonly string[] ReadModelTables = ["rm_contacts", "rm_referrals", "rm_residents"];

    [Theory]
    [MemberData(nameof(FrontDoorApp.Backends), MemberType = typeof(FrontDoorApp))]
    public async Task Redelivering_every_reaction_to_every_handler_changes_nothing(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var resident = new ResidentDetails("Sam Jones", "1990-01-01", "CH2 3AB", null, null);

        // A run that exercises every handler path: routing, signposting, triage, returns, completion, follow-ups.
        var debt = await api.RecordAsync(Api.Contact("phone", ["homelessness", "money-and-debt", "isolation-and-wellbeing"], resident: resident));
        var empty = await api.RecordAsync(Api.Contact("web", [], "Not sure who to ask."));
        var care = await api.RecordAsync(Api.Contact("lets-talk", ["care-and-support"], siteId: "lets-talk-lache", resident: resident));
        await app.CaughtUpAsync();
        var debtReferrals = (await api.ContactAsync(debt)).Referrals;
        await api.ActOkAsync(debtReferrals[0].ReferralId, "return", new ReturnReferralRequest("Wrong team", "early-help"));
        await api.WorkThroughAsync(debtReferrals[1].ReferralId);
        await api.WorkThroughAsync(Assert.Single((await api.ContactAsync(care)).Referrals).ReferralId);
        await api.WorkThroughAsync(Assert.Single((await api.ContactAsync(empty)).Referrals).ReferralId);
        await app.CaughtUpAsync();

        var head = await app.Store.ReadHeadPositionAsync();
        var before = await SnapshotAsync(app);
        var everything = await app.Store.ReadAllUpToAsync(head).ToListAsync();
        Assert.Equal(head, everything[^1].Position);

        // Every message the log's events caused, handed to its handler again now (a scheduled one as if it came due
        // early, which its handler must also shrug off).
        var rules = app.Services.GetServices<ReactionRule>().ToList();
        var redelivered = new HashSet<Type>();
        foreach (var recorded in everything)
        {
            var domainEvent = DomainEventSerializer.Deserialize(recorded)!;
            var appended = new AppendedEvent(recorded.StreamId, recorded.StreamVersion, new EventData(recorded.EventId, domainEvent, recorded.Type, recorded.Data, recorded.Metadata));
            foreach (var rule in rules.Where(r => r.EventType == domainEvent.GetType()))
            {
                if (rule.React(app.Services, domainEvent, appended) is { } reaction)
                {
                    await app.HandleNowAsync(reaction.Message);
                    redelivered.Add(rule.MessageType);
                }
            }
        }

        // Every kind of reaction was handed over again, but the shredding of an erased subject's key: nobody is erased here.
        Assert.Equal(rules.Select(r => r.MessageType).Where(t => t != typeof(ShredSubjectKey)).ToHashSet(), redelivered);

        Assert.Equal(head, await app.Store.ReadHeadPositionAsync());
        Assert.Equal(before, await SnapshotAsync(app));
        await app.SettledAsync();
    }

    private static async Task<string> SnapshotAsync(FrontDoorApp app)
    {
        var text = new StringBuilder();
        var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            foreach (var table in ReadModelTables)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM {table} ORDER BY 1";
                await using var reader = await command.ExecuteReaderAsync();
                var rows = 0;
                while (await reader.ReadAsync())
                {
                    rows++;
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        text.Append(reader.GetName(i)).Append('=').Append(reader.IsDBNull(i) ? "null" : reader.GetValue(i)).Append(';');
                    }

                    text.AppendLine();
                }

                Assert.True(rows > 0, $"{table} should hold rows for this run");
            }
        }

        return text.ToString();
    }
}
