using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Events;

namespace FrontDoor.Server.ReadModels;

/// <summary>Residents the council already knows, folded for searching as an agent types.</summary>
public sealed class ResidentsProjection : StreamRowProjection<ResidentState>
{
    public const string Name = "residents-read-model";

    public override string ProjectionName => Name;

    public override string Table => "rm_residents";

    public override string Category => "resident";

    protected override ResidentState Initial => ResidentState.Initial;

    protected override string UpsertSql => """
        INSERT INTO {table} (resident_id, match_key, name, name_search, date_of_birth, postcode, postcode_search, phone, email, contact_count, merged_into, last_position)
        VALUES (@id, @key, @name, @nameSearch, @dob, @postcode, @postcodeSearch, @phone, @email, @contacts, @mergedInto, @position)
        ON CONFLICT (resident_id) DO UPDATE SET
            match_key = excluded.match_key, name = excluded.name, name_search = excluded.name_search,
            date_of_birth = excluded.date_of_birth, postcode = excluded.postcode, postcode_search = excluded.postcode_search,
            phone = excluded.phone, email = excluded.email, contact_count = excluded.contact_count, merged_into = excluded.merged_into,
            last_position = excluded.last_position
        WHERE {table}.last_position <= excluded.last_position
        """;

    /// <summary>An erased resident has no row: the search must not find them, and the row is where their details were.</summary>
    protected override string DeleteSql => "DELETE FROM {table} WHERE resident_id = @id";

    public override bool ReadsPersonalData => true;

    protected override ResidentState Evolve(ResidentState state, object domainEvent) => ResidentDecider.Evolve(state, domainEvent);

    protected override bool Exists(ResidentState state) => state.Exists && !state.Erased;

    protected override IEnumerable<(string Name, object? Value)> Row(ResidentState state, StreamTip tip)
    {
        return
        [
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

            // A record merged into another is not offered by the search; its contacts are found through the other.
            ("mergedInto", state.MergedInto?.ToString("D")),
        ];
    }
}
