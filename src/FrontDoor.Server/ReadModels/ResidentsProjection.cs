using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;

namespace FrontDoor.Server.ReadModels;

/// <summary>
/// Residents the council already knows, folded for searching as an agent types. A row holds no personal data: the
/// look-up's terms are keyed digests (<see cref="Search.TermsOf"/>), and whoever shows a match opens the resident's
/// sealed details from the log with their key, so erasure (shredding that key) leaves nothing here to read.
/// </summary>
public sealed class ResidentsProjection(PersonalDataKeys ring) : StreamRowProjection<ResidentState>
{
    public const string Name = "residents-read-model";

    public override string ProjectionName => Name;

    public const string TableName = "rm_residents";

    public override string Table => TableName;

    public override string Category => "resident";

    protected override ResidentState Initial => ResidentState.Initial;

    protected override string UpsertSql => """
        INSERT INTO {table} (resident_id, terms, contact_count, merged_into, last_position)
        VALUES (@id, @terms, @contacts, @mergedInto, @position)
        ON CONFLICT (resident_id) DO UPDATE SET
            terms = excluded.terms, contact_count = excluded.contact_count, merged_into = excluded.merged_into,
            last_position = excluded.last_position
        WHERE {table}.last_position <= excluded.last_position
        """;

    /// <summary>An erased resident has no row: the search must not find them, and the row is where their details were.</summary>
    protected override string DeleteSql => "DELETE FROM {table} WHERE resident_id = @id";

    protected override PersonalDataKeys PersonalData => ring;

    protected override ResidentState Evolve(ResidentState state, object domainEvent) => ResidentDecider.Evolve(state, domainEvent);

    protected override bool Exists(ResidentState state) => state.Exists && !state.Erased;

    protected override IEnumerable<(string Name, object? Value)> Row(ResidentState state, StreamTip tip)
    {
        return
        [
            ("id", state.ResidentId.ToString("D")),
            ("terms", state.MergedInto is null ? Search.TermsOf(ring, state.Name, state.DateOfBirth, state.Postcode) : []),
            ("contacts", state.ContactIds.Count),

            // A record merged into another is not offered by the search (it keeps no terms); its contacts are found
            // through the other.
            ("mergedInto", state.MergedInto?.ToString("D")),
        ];
    }
}
