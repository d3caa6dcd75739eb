using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain.Audit;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Auditing;
using FrontDoor.Server.Contacts.RecordingContact;
using FrontDoor.Server.Infrastructure.Data;
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

        var found = await ResidentLookup.FindAsync(
            store,
            vault,
            nameSearch,
            dob,
            postcodeSearch,
            reference is null ? null : ContactReference.IdPrefix(reference),
            cancellationToken).ConfigureAwait(false);
        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var matches = new List<ResidentMatch>();
            foreach (var resident in found)
            {
                var id = resident.ResidentId.ToString("D");
                var contacts = await Sql.QueryAsync(
                    connection,
                    null,
                    $"SELECT contact_id, channel, site_id, status, received_at_ms, needs FROM rm_contacts WHERE resident_id = @id OR resident_id IN ({MergedInto}) ORDER BY received_at_ms DESC LIMIT {MaxContactsShown}",
                    r => new EarlierContact(Guid.Parse(r.GetString(0)), r.GetString(1), r.NullableString(2), r.GetString(3), Sql.FromUnixMs(r.GetInt64(4)), JsonSerializer.Deserialize<List<string>>(r.GetString(5)) ?? []),
                    cancellationToken,
                    ("id", id)).ConfigureAwait(false);
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
                    ("id", id)).ConfigureAwait(false);
                await access.RecordAsync(http, AccessSubjects.ResidentSearch, resident.ResidentId, null, cancellationToken).ConfigureAwait(false);
                var state = resident.State;
                matches.Add(new ResidentMatch(resident.ResidentId, state.Name ?? string.Empty, state.DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), state.Postcode, resident.ContactCount, contacts, open));
            }

            return TypedResults.Ok(new ResidentSearchResponse(matches));
        }
    }
}
