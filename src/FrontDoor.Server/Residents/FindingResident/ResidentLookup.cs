using FrontDoor.Domain;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.ReadModels;

namespace FrontDoor.Server.Residents.FindingResident;

/// <summary>A resident the look-up found: their details opened from the log, and their contacts across merged records.</summary>
public sealed record FoundResident(Guid ResidentId, ResidentState State, int ContactCount);

/// <summary>
/// "Tell us once" over a table with no personal data in it: what was typed becomes blind index terms
/// (<see cref="Search.QueryTerms"/>), the records holding all of them are found by the terms' GIN index, the most
/// recently active first (a returning caller is most likely someone in touch lately), and the few shown are opened
/// from the log with their keys and put in name order.
/// </summary>
public static class ResidentLookup
{
    public const int MaxResults = 20;

    /// <param name="contactIdPrefix">The start of one of the resident's contacts' ids (from a contact reference), or null.</param>
    public static async Task<IReadOnlyList<FoundResident>> FindAsync(StoreConnection store, PersonalDataVault vault, string nameSearch, DateOnly? dateOfBirth, string postcodeSearch, string? contactIdPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(vault);
        List<(Guid Id, int Contacts)> candidates;
        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // The matches are gathered by the terms' index before they are ordered: asked for the newest twenty
            // directly, PostgreSQL walks the records newest first and tests each one's terms, which for a term few
            // records hold (a date of birth) means reading the whole table.
            candidates = await Sql.QueryAsync(
                connection,
                null,
                $"""
                WITH matched AS MATERIALIZED (
                    SELECT resident_id, contact_count, last_position FROM rm_residents
                    WHERE merged_into IS NULL
                      AND terms @> @terms
                      AND (CAST(@reference AS TEXT) IS NULL OR resident_id IN (
                          SELECT coalesce(m.merged_into, c.resident_id) FROM rm_contacts c LEFT JOIN rm_residents m ON m.resident_id = c.resident_id
                          WHERE c.contact_id LIKE @reference ESCAPE '\')))
                SELECT resident_id,
                       contact_count + coalesce((SELECT sum(m.contact_count) FROM rm_residents m WHERE m.merged_into = matched.resident_id), 0)
                FROM matched
                ORDER BY last_position DESC
                LIMIT {MaxResults}
                """,
                r => (Guid.Parse(r.GetString(0)), (int)r.GetInt64(1)),
                cancellationToken,
                ("terms", Search.QueryTerms(vault.Ring, nameSearch, dateOfBirth, postcodeSearch)),
                ("reference", contactIdPrefix is null ? null : Search.LikeLiteral(contactIdPrefix) + "%")).ConfigureAwait(false);
        }

        // One read of the candidates' streams, and one of their keys.
        var streams = await store.ReadStreamsAsync(candidates.Select(c => StreamIds.Resident(c.Id)).ToList(), cancellationToken).ConfigureAwait(false);
        var opened = (await vault.OpenAsync(streams.Values.SelectMany(events => events).ToList(), cancellationToken).ConfigureAwait(false))
            .ToLookup(e => e.StreamId, StringComparer.Ordinal);
        return candidates
            .Select(c => new FoundResident(c.Id, Streams.Fold([.. opened[StreamIds.Resident(c.Id)]], ResidentState.Initial, ResidentDecider.Evolve).State, c.Contacts))
            .Where(found => found.State.Exists && !found.State.Erased)
            .OrderBy(found => Search.Name(found.State.Name), StringComparer.Ordinal)
            .ThenBy(found => found.ResidentId)
            .ToList();
    }
}
