using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDoor.Server.Tests;

/// <summary>The read models are Marten inline projections: their rows commit, or roll back, with the events they come from.</summary>
public sealed class InlineReadModelTests
{
    [Fact]
    public async Task A_contacts_row_is_written_in_the_transaction_of_its_events_and_goes_when_that_rolls_back()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var vault = app.Services.GetRequiredService<PersonalDataVault>();
        var rolledBack = Guid.NewGuid();

        var uow = await app.Connection.BeginUnitOfWorkAsync(CancellationToken.None);
        await using (uow)
        {
            var appended = await uow.AppendAsync(StreamIds.Contact(rolledBack), ExpectedVersion.NoStream, await ReceivedAsync(vault, rolledBack));

            // Inside the append's own transaction, before anything else has run: no subscription has seen it.
            Assert.Equal(appended.Position, await LastPositionAsync(uow.Connection, uow.Transaction, rolledBack));
        }

        Assert.Equal(-1, await LastPositionAsync(app, rolledBack));

        var committed = Guid.NewGuid();
        var result = await app.Store.AppendAsync(StreamIds.Contact(committed), ExpectedVersion.NoStream, await ReceivedAsync(vault, committed));
        Assert.Equal(result.Position, await LastPositionAsync(app, committed));
    }

    [Fact]
    public async Task A_stream_fetched_for_writing_that_moved_on_before_its_append_is_refused_and_the_row_keeps_the_change_that_landed()
    {
        var (app, log, contactId, stream, _) = await StartWithAContactAsync();
        await using var disposeApp = app;
        var fetched = await log.FetchForWritingAsync(stream, ContactState.Initial);
        await using var disposeFetched = fetched;
        Assert.Equal(1, fetched.Version);
        Assert.Equal(contactId, fetched.State.ContactId);

        // Someone else's change lands after the fetch: the append decided on the older state must not land over it,
        // and the check-back it schedules must reach the row.
        var now = DateTimeOffset.UtcNow;
        await log.AppendAsync(stream, ExpectedVersion.Exact(1), Commanded(new FollowUpScheduled(contactId, now.AddDays(7), "test", "agent-2", now)));
        var refused = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => log.AppendAsync(fetched, Commanded(new ConsentRecorded(contactId, true, "agent-1", "agent-1", now))));
        Assert.Equal(2, refused.ActualVersion);
        Assert.Equal(2, await log.ReadStreamVersionAsync(stream));

        var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None);
        await using var disposeConnection = connection;
        var followUps = await Sql.QueryAsync(
            connection,
            null,
            "SELECT follow_up_state FROM rm_contacts WHERE contact_id = @id",
            r => r.IsDBNull(0) ? null : r.GetString(0),
            CancellationToken.None,
            ("id", contactId.ToString("D")));
        Assert.Equal(["scheduled"], followUps);
    }

    [Fact]
    public async Task A_stream_fetched_for_writing_is_folded_by_its_decider_and_appended_to_with_its_row_in_the_same_transaction()
    {
        var (app, log, contactId, stream, received) = await StartWithAContactAsync();
        await using var disposeApp = app;

        var fetched = await log.FetchForWritingAsync(stream, ContactState.Initial);
        await using var disposeFetched = fetched;
        var stored = Assert.Single(fetched.Recorded);
        Assert.Equal((received.Position, "contact-received.v1"), (stored.Position, stored.Type));
        Assert.Equal([NeedCodes.MoneyAndDebt], fetched.State.Needs);

        var now = DateTimeOffset.UtcNow;
        var appended = await log.AppendAsync(fetched, Commanded(new FollowUpScheduled(contactId, now.AddDays(7), "test", "agent-2", now)));
        Assert.Equal(2, appended.StreamVersion);
        Assert.Equal(appended.Position, await LastPositionAsync(app, contactId));
    }

    /// <summary>A server with one contact received, and its log as the server opened it.</summary>
    private static async Task<(FrontDoorApp App, MartenEventLog Log, Guid ContactId, string Stream, AppendResult Received)> StartWithAContactAsync()
    {
        var app = await FrontDoorApp.StartAsync("postgres");
        try
        {
            var log = (MartenEventLog)app.Store;
            var contactId = Guid.NewGuid();
            var stream = StreamIds.Contact(contactId);
            var received = await log.AppendAsync(stream, ExpectedVersion.NoStream, await ReceivedAsync(app.Services.GetRequiredService<PersonalDataVault>(), contactId));
            return (app, log, contactId, stream, received);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static EventData[] Commanded(object domainEvent) =>
        FrontDoor.Server.Infrastructure.Events.Streams.Commanded([domainEvent], new EventMetadata(Actor: "agent-1"));

    private static async Task<EventData[]> ReceivedAsync(PersonalDataVault vault, Guid contactId) =>
        await vault.ToEventDataAsync(
            [new ContactReceived(contactId, "phone", null, null, "Behind on the rent.", [NeedCodes.MoneyAndDebt], false, "agent-1", DateTimeOffset.UtcNow)],
            _ => Guid.NewGuid(),
            new EventMetadata(Actor: "agent-1"),
            CancellationToken.None);

    private static async Task<long> LastPositionAsync(FrontDoorApp app, Guid contactId)
    {
        var connection = await app.Connection.OpenConnectionAsync(CancellationToken.None);
        await using (connection)
        {
            return await LastPositionAsync(connection, null, contactId);
        }
    }

    private static async Task<long> LastPositionAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, Guid contactId)
    {
        var positions = await Sql.QueryAsync(
            connection,
            transaction,
            "SELECT last_position FROM rm_contacts WHERE contact_id = @id",
            r => r.GetInt64(0),
            CancellationToken.None,
            ("id", contactId.ToString("D")));
        return positions.Count == 0 ? -1 : positions[0];
    }
}
