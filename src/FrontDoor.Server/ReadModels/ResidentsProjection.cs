using FrontDoor.Domain.Residents;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;

namespace FrontDoor.Server.ReadModels;

/// <summary>Residents the council already knows, folded for searching as an agent types.</summary>
public sealed class ResidentsProjection : ISubscriptionHandler
{
    public const string Name = "residents-read-model";

    public async ValueTask HandleAsync(RecordedEvent recordedEvent, SubscriptionContext context, CancellationToken cancellationToken)
    {
        if (StreamName.CategoryOf(recordedEvent.StreamId) != "resident")
        {
            return;
        }

        var loaded = await Streams.LoadAsync(context.UnitOfWork, recordedEvent.StreamId, ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
        var state = loaded.State;
        if (!state.Exists)
        {
            return;
        }

        var uow = context.UnitOfWork;
        await Sql.ExecuteAsync(
            uow.Connection,
            uow.Transaction,
            """
            INSERT INTO rm_residents (resident_id, match_key, name, name_search, date_of_birth, postcode, postcode_search, phone, email, contact_count, last_position)
            VALUES (@id, @key, @name, @nameSearch, @dob, @postcode, @postcodeSearch, @phone, @email, @contacts, @position)
            ON CONFLICT (resident_id) DO UPDATE SET
                match_key = excluded.match_key, name = excluded.name, name_search = excluded.name_search,
                date_of_birth = excluded.date_of_birth, postcode = excluded.postcode, postcode_search = excluded.postcode_search,
                phone = excluded.phone, email = excluded.email, contact_count = excluded.contact_count, last_position = excluded.last_position
            WHERE rm_residents.last_position < excluded.last_position
            """,
            cancellationToken,
            ("id", state.ResidentId.ToString("D")),
            ("key", state.MatchKey),
            ("name", state.Name ?? string.Empty),
            ("nameSearch", Search.Name(state.Name)),
            ("dob", state.DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            ("postcode", state.Postcode),
            ("postcodeSearch", Search.Postcode(state.Postcode)),
            ("phone", state.Phone),
            ("email", state.Email),
            ("contacts", state.ContactIds.Count),
            ("position", loaded.Recorded[^1].Position)).ConfigureAwait(false);
    }
}
