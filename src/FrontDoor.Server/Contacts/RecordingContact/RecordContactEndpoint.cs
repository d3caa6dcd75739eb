using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;
using FrontDoor.Domain.Routing;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Infrastructure.Telemetry;

namespace FrontDoor.Server.Contacts.RecordingContact;

/// <summary>
/// <c>POST /api/contacts</c>: a resident reached the council. The contact is recorded with its needs (or queued
/// for triage when it has none); routing happens behind it, so referrals appear on the contact shortly after.
/// </summary>
public static class RecordContactEndpoint
{
    /// <summary>The name on a web contact's own record when the form gave none (a phone number or email is enough to reply).</summary>
    public const string NameNotGiven = "Not given";

    /// <summary>What <see cref="RecordAsync"/> answers when the resident the agent chose is not (or no longer) on record.</summary>
    public static readonly Guid ResidentNotFound = Guid.Empty;

    public static IEndpointRouteBuilder MapRecordContact(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/contacts", HandleAsync)
            .RequireAuthorization(Policies.Agent)
            .WithName("RecordContact")
            .WithTags("Contacts")
            .Accepts<RecordContactRequest>("application/json")
            .Produces<ContactCreatedResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IEventLog store, ContactPolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<RecordContactRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = RecordContactValidator.Validate(request!, policy.Sites);
        var idempotencyKey = http.Request.IdempotencyKey(errors);

        if (errors.Count > 0)
        {
            return JsonBody.Invalid(errors);
        }

        var contactId = await RecordAsync(http, store, policy, time, request!, http.Actor(), idempotencyKey, Identity.Verified, cancellationToken).ConfigureAwait(false);
        if (contactId == ResidentNotFound)
        {
            return JsonBody.Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["residentId"] = ["There is no resident record with this id, or it was erased; look the resident up again."],
            });
        }

        if (contactId is null)
        {
            return TypedResults.Problem(
                title: "This Idempotency-Key was used for a different contact.",
                detail: "A retry must send exactly the request it repeats; record a new contact under a new key.",
                statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?> { ["code"] = "contact.idempotency-key-reused", ["field"] = "Idempotency-Key" });
        }

        return TypedResults.Created($"/api/contacts/{contactId:D}", new ContactCreatedResponse(contactId.Value));
    }

    /// <summary>How far the council knows who it is dealing with.</summary>
    public enum Identity
    {
        /// <summary>A member of staff spoke to or met the resident: their details identify the resident's record.</summary>
        Verified,

        /// <summary>
        /// The public form: anyone can type anyone's name, date of birth and postcode, so the details are kept on a
        /// record of this contact's own and the record they match is only suggested, for staff to confirm.
        /// </summary>
        Unverified,
    }

    /// <summary>
    /// Records a validated contact and returns its id — or null when a retry under the same idempotency key sends
    /// a different request, or <see cref="ResidentNotFound"/> when the resident chosen is not on record. Shared by the
    /// agents' endpoint and the public form.
    /// </summary>
    public static async Task<Guid?> RecordAsync(HttpContext http, IEventLog store, ContactPolicy policy, TimeProvider time, RecordContactRequest request, string actor, string idempotencyKey, Identity identity, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();

        // A retried request with the same key maps to the same contact and the same event ids, which the log
        // recognises as a retry: the resident is never recorded twice.
        var keyed = idempotencyKey.Length > 0;
        var contactId = keyed ? DeterministicId.From("contact", actor, idempotencyKey) : Guid.NewGuid();
        var metadata = http.EventMetadata(contactId.ToString("D")) with { Actor = actor };
        var vault = http.RequestServices.GetRequiredService<PersonalDataVault>();
        var digest = keyed ? Digest(request) : null;

        // A retry of a contact already recorded answers with it and does nothing else: in particular it must not
        // register its resident again, who may have been erased since (and then the digest reads as null too).
        if (keyed)
        {
            var recorded = await Streams.LoadOpenedAsync(store, vault, StreamIds.Contact(contactId), (ContactReceived?)null, (first, e) => first ?? e as ContactReceived, cancellationToken).ConfigureAwait(false);
            if (recorded.Version > 0)
            {
                return recorded.State?.RequestDigest is { } earlier && earlier != digest ? null : contactId;
            }
        }

        var keys = new Dictionary<Guid, byte[]>();
        Guid? residentId;
        Guid? claimedResidentId = null;
        if (identity == Identity.Verified && request.ResidentId is { } chosen)
        {
            // Checked after the retry above: a retry answers with its contact even if the resident was erased since.
            var resident = await Streams.LoadAsync(store, StreamIds.Resident(chosen), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);

            // A record merged into another: the person is held there now.
            if (resident.State.MergedInto is { } into)
            {
                chosen = into;
                resident = await Streams.LoadAsync(store, StreamIds.Resident(chosen), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
            }

            if (!resident.State.Exists || resident.State.Erased)
            {
                return ResidentNotFound;
            }

            residentId = chosen;
        }
        else
        {
            (residentId, claimedResidentId) = identity == Identity.Verified
                ? (await RegisterResidentAsync(store, vault, keys, request.Resident, contactId, actor, now, metadata, cancellationToken).ConfigureAwait(false), (Guid?)null)
                : await RegisterUnverifiedAsync(store, vault, keys, request.Resident, contactId, actor, now, metadata, cancellationToken).ConfigureAwait(false);
        }

        var needs = (request.Needs ?? []).Distinct(StringComparer.Ordinal).ToList();
        var contact = ContactState.Initial;
        var decided = new List<object>();
        Decide(ref contact, decided, new RecordContact(contactId, request.Channel!, request.SiteId, residentId, request.Summary!.Trim(), needs, request.ConsentToShare!.Value, actor, claimedResidentId, digest), now, policy);
        if (needs.Count > 0)
        {
            Decide(ref contact, decided, new AssessNeeds(contactId, needs, actor), now, policy);
        }
        else
        {
            Decide(ref contact, decided, new QueueForTriage(contactId, RoutingPolicy.NoNeedsReason, actor), now, policy);
        }

        var events = await vault.ToEventDataAsync(
            decided,
            i => keyed ? DeterministicId.From("contact-request", contactId.ToString("D"), i.ToString(System.Globalization.CultureInfo.InvariantCulture)) : Guid.NewGuid(),
            metadata,
            cancellationToken,
            keys).ConfigureAwait(false);
        await store.AppendAsync(StreamIds.Contact(contactId), ExpectedVersion.NoStream, events, cancellationToken).ConfigureAwait(false);
        http.RequestServices.GetRequiredService<FrontDoorMetrics>().ContactRecorded(request.Channel!, request.SiteId);

        return contactId;
    }

    /// <summary>The record a person with this match key is held in, from the keyed digest of the key (never the key itself).</summary>
    private static Guid ResidentIdOf(PersonalDataVault vault, string matchKey) => ResidentIdentity.StreamIdFor(vault.Ring.IdentityOf(matchKey));

    /// <summary>What a retry must repeat exactly; kept sealed with the contact, since it is derived from what the resident said.</summary>
    private static string Digest(RecordContactRequest request) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request)));

    private static void Decide(ref ContactState state, List<object> decided, ContactCommand command, DateTimeOffset now, ContactPolicy policy)
    {
        var events = ContactDecider.Decide(state, command, now, policy);
        state = ContactDecider.Fold(state, events);
        decided.AddRange(events);
    }

    /// <summary>
    /// An unverified contact's details go on a record of the contact's own, whatever they say, and the record they
    /// would match is only named as a claim. The work is the same whether or not the council knows the person — a
    /// new record, a new key, one append — so neither the answer nor its timing tells an outsider who is known.
    /// </summary>
    private static async Task<(Guid? ResidentId, Guid? Claimed)> RegisterUnverifiedAsync(IEventLog store, PersonalDataVault vault, IDictionary<Guid, byte[]> keys, ResidentDetails? details, Guid contactId, string actor, DateTimeOffset now, EventMetadata metadata, CancellationToken cancellationToken)
    {
        if (details is null || (ResidentName.Clean(details.Name) is null && string.IsNullOrWhiteSpace(details.Phone) && string.IsNullOrWhiteSpace(details.Email)))
        {
            return (null, null);
        }

        var name = ResidentName.Clean(details.Name);
        var dateOfBirth = RecordContactValidator.ParseDateOfBirth(details.DateOfBirth);
        var matchKey = ResidentMatchKey.From(name, dateOfBirth, details.Postcode);
        var residentId = DeterministicId.From("resident-of-contact", contactId.ToString("D"));
        var decided = ResidentDecider.Decide(
            ResidentState.Initial,
            new RegisterResident(residentId, name ?? NameNotGiven, dateOfBirth, details.Postcode?.Trim(), details.Phone?.Trim(), details.Email?.Trim(), actor),
            now);
        var events = await vault.ToEventDataAsync(decided, _ => Guid.NewGuid(), metadata, cancellationToken, keys).ConfigureAwait(false);
        await store.AppendAsync(StreamIds.Resident(residentId), ExpectedVersion.NoStream, events, cancellationToken).ConfigureAwait(false);
        return (residentId, matchKey is null ? null : ResidentIdOf(vault, matchKey));
    }

    /// <summary>
    /// "Tell us once": name, date of birth and postcode identify a resident across channels, so the same person
    /// always lands on the same resident record. Without all three we still keep what they told us, on a record of
    /// this contact's own. A person whose record was erased and who comes back starts a new record
    /// (<see cref="ResidentIdentity.AfterErasure"/>).
    /// </summary>
    private static async Task<Guid?> RegisterResidentAsync(IEventLog store, PersonalDataVault vault, IDictionary<Guid, byte[]> keys, ResidentDetails? details, Guid contactId, string actor, DateTimeOffset now, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var name = ResidentName.Clean(details?.Name);
        if (details is null || name is null)
        {
            return null;
        }

        var dateOfBirth = RecordContactValidator.ParseDateOfBirth(details.DateOfBirth);
        var matchKey = ResidentMatchKey.From(name, dateOfBirth, details.Postcode);
        var residentId = matchKey is null ? DeterministicId.From("resident-of-contact", contactId.ToString("D")) : ResidentIdOf(vault, matchKey);
        var stream = StreamIds.Resident(residentId);
        var resident = await Streams.LoadAsync(store, stream, ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);

        // Erased: the person starts a new record. Merged into another record: the person is held there.
        while (resident.State.Erased || resident.State.MergedInto is not null)
        {
            residentId = resident.State.Erased ? ResidentIdentity.AfterErasure(residentId) : resident.State.MergedInto!.Value;
            stream = StreamIds.Resident(residentId);
            resident = await Streams.LoadAsync(store, stream, ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
        }

        if (resident.State.Exists)
        {
            return residentId;
        }

        var decided = ResidentDecider.Decide(
            resident.State,
            new RegisterResident(residentId, name, dateOfBirth, details.Postcode?.Trim(), details.Phone?.Trim(), details.Email?.Trim(), actor),
            now);

        // Two first contacts from one resident can race here; the registration's id is the resident's, so the
        // loser's append is recognised as the same registration.
        var events = await vault.ToEventDataAsync(
            decided,
            i => DeterministicId.From("resident-registered", residentId.ToString("D"), i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            metadata,
            cancellationToken,
            keys).ConfigureAwait(false);
        try
        {
            await store.AppendAsync(stream, ExpectedVersion.NoStream, events, cancellationToken).ConfigureAwait(false);
        }
        catch (WrongExpectedVersionException)
        {
            // Registered meanwhile by another contact: the record exists, which is all this contact needs.
        }

        return residentId;
    }
}
