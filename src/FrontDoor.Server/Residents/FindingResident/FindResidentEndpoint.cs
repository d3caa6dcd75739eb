using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Audit;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Auditing;
using FrontDoor.Server.Contacts.RecordingContact;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.ReadModels;

namespace FrontDoor.Server.Residents.FindingResident;

/// <summary>
/// <c>POST /api/residents/search</c> <c>{name, dateOfBirth, postcode}</c>: "tell us once" — as the agent types, the
/// residents we already know who fit, with their earlier contacts and the referrals still open for them. A POST, so
/// that what identifies a person never sits in a URL, where proxies, browser history and request logs keep it.
/// </summary>
public static class FindResidentEndpoint
{
    public const int MaxResults = 20;
    public const int MaxContactsShown = 10;

    /// <summary>The records merged into resident <c>@id</c>: the person's contacts are theirs too.</summary>
    public const string MergedInto = "SELECT resident_id FROM rm_residents WHERE merged_into = @id";

    public static IEndpointRouteBuilder MapFindResident(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/residents/search", HandleAsync)
            .RequireAuthorization(Policies.AgentOrManager)
            .WithName("FindResident")
            .WithTags("Residents")
            .Accepts<ResidentSearchRequest>("application/json")
            .Produces<ResidentSearchResponse>()
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, StoreConnection store, PersonalDataVault vault, AccessRecorder access, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ResidentSearchRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (name, dateOfBirth, postcode) = (request!.Name, request.DateOfBirth, request.Postcode);
        var reference = request.Reference?.Trim() is { Length: > 0 } given ? given : null;
        var nameSearch = Search.Name(name);
        var postcodeSearch = Search.Postcode(postcode);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        DateOnly? dob = null;
        if (!string.IsNullOrEmpty(dateOfBirth))
        {
            dob = RecordContactValidator.ParseDateOfBirth(dateOfBirth);
            if (dob is null)
            {
                errors["dateOfBirth"] = ["A date of birth is a date written yyyy-mm-dd."];
            }
        }

        if (name is { Length: > RecordContactValidator.MaxNameLength })
        {
            errors["name"] = [$"A name is at most {RecordContactValidator.MaxNameLength} characters."];
        }

        if (postcode is { Length: > 10 })
        {
            errors["postcode"] = ["A postcode is at most 10 characters."];
        }

        if (reference is not null && !ContactReference.IsReference(reference))
        {
            errors["reference"] = ["A reference is the 8 letters and digits the resident was given, like 3F9A12BC."];
        }

        // Searching on a letter or two would list half the county: ask for enough to identify someone.
        if (errors.Count == 0 && nameSearch.Length < 2 && dob is null && postcodeSearch.Length < 3 && reference is null)
        {
            errors["name"] = ["Give at least two letters of the name, a date of birth or the start of a postcode."];
        }

        if (errors.Count > 0)
        {
            return JsonBody.Invalid(errors);
        }

        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // The terms narrow the records down without a name in the table; the newest activity comes first, since a
            // returning caller is most likely someone in touch lately. Their details are opened from the log, and the
            // few shown are put in name order.
            var candidates = await Sql.QueryAsync(
                connection,
                null,
                $"""
                SELECT resident_id,
                       contact_count + coalesce((SELECT sum(m.contact_count) FROM rm_residents m WHERE m.merged_into = rm_residents.resident_id), 0)
                FROM rm_residents
                WHERE merged_into IS NULL
                  AND terms @> @terms
                  AND (CAST(@reference AS TEXT) IS NULL OR resident_id IN (
                      SELECT coalesce(m.merged_into, c.resident_id) FROM rm_contacts c LEFT JOIN rm_residents m ON m.resident_id = c.resident_id
                      WHERE c.contact_id LIKE @reference ESCAPE '\'))
                ORDER BY last_position DESC
                LIMIT {MaxResults}
                """,
                r => (Id: Guid.Parse(r.GetString(0)), Contacts: (int)r.GetInt64(1)),
                cancellationToken,
                ("terms", Search.QueryTerms(vault.Ring, nameSearch, dob, postcodeSearch)),
                ("reference", reference is null ? null : Search.LikeLiteral(ContactReference.IdPrefix(reference)) + "%")).ConfigureAwait(false);
            // One read of the candidates' streams, and one of their keys.
            var streams = await store.ReadStreamsAsync(candidates.Select(c => StreamIds.Resident(c.Id)).ToList(), cancellationToken).ConfigureAwait(false);
            var opened = (await vault.OpenAsync(streams.Values.SelectMany(events => events).ToList(), cancellationToken).ConfigureAwait(false))
                .ToLookup(e => e.StreamId, StringComparer.Ordinal);
            var residents = new List<(string Id, string Name, string? Dob, string? Postcode, int Contacts)>();
            foreach (var candidate in candidates)
            {
                var state = Streams.Fold([.. opened[StreamIds.Resident(candidate.Id)]], ResidentState.Initial, ResidentDecider.Evolve).State;
                if (state.Exists && !state.Erased)
                {
                    residents.Add((candidate.Id.ToString("D"), state.Name ?? string.Empty, state.DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), state.Postcode, candidate.Contacts));
                }
            }

            residents.Sort((a, b) => (string.CompareOrdinal(Search.Name(a.Name), Search.Name(b.Name)), string.CompareOrdinal(a.Id, b.Id)) switch
            {
                (0, var byId) => byId,
                (var byName, _) => byName,
            });

            var matches = new List<ResidentMatch>();
            foreach (var resident in residents)
            {
                var contacts = await Sql.QueryAsync(
                    connection,
                    null,
                    $"SELECT contact_id, channel, site_id, status, received_at_ms, needs FROM rm_contacts WHERE resident_id = @id OR resident_id IN ({MergedInto}) ORDER BY received_at_ms DESC LIMIT {MaxContactsShown}",
                    r => new EarlierContact(Guid.Parse(r.GetString(0)), r.GetString(1), r.NullableString(2), r.GetString(3), Sql.FromUnixMs(r.GetInt64(4)), JsonSerializer.Deserialize<List<string>>(r.GetString(5)) ?? []),
                    cancellationToken,
                    ("id", resident.Id)).ConfigureAwait(false);
                var open = await Sql.QueryAsync(
                    connection,
                    null,
                    $"""
                    SELECT r.referral_id, r.contact_id, r.service, r.priority, r.status, r.due_at_ms
                    FROM rm_referrals r JOIN rm_contacts c ON c.contact_id = r.contact_id
                    WHERE (c.resident_id = @id OR c.resident_id IN ({MergedInto})) AND r.status IN ('raised', 'claimed', 'accepted')
                    ORDER BY r.priority_rank DESC, r.due_at_ms
                    """,
                    r => new OpenReferral(Guid.Parse(r.GetString(0)), Guid.Parse(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), Sql.FromUnixMs(r.GetInt64(5))),
                    cancellationToken,
                    ("id", resident.Id)).ConfigureAwait(false);
                await access.RecordAsync(http, AccessSubjects.ResidentSearch, Guid.Parse(resident.Id), null, cancellationToken).ConfigureAwait(false);
                matches.Add(new ResidentMatch(Guid.Parse(resident.Id), resident.Name, resident.Dob, resident.Postcode, resident.Contacts, contacts, open));
            }

            return TypedResults.Ok(new ResidentSearchResponse(matches));
        }
    }
}
