using System.Text;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Audit;
using FrontDoor.Domain.Referrals;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Auditing;
using FrontDoor.Server.Contacts.ViewingContact;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Residents.ErasingResident;
using FrontDoor.Server.Residents.RecordingConsent;

namespace FrontDoor.Server.Residents.AccessingSubjectData;

/// <summary>
/// <c>GET /api/residents/{id}/subject-access</c>: everything held about one resident, in one call — their details,
/// consent and its history, every contact with its referrals, outcomes and history, and who has looked at their
/// record. JSON by default; <c>Accept: text/html</c> (or <c>?format=html</c>) gives the same as a page that can be
/// sent to the resident. The request is itself a look at their data, so it is in the access log it returns.
/// </summary>
public static class SubjectAccessEndpoint
{
    public static IEndpointRouteBuilder MapSubjectAccess(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/residents/{residentId:guid}/subject-access", HandleAsync)
            .RequireAuthorization(Policies.Manager)
            .WithName("SubjectAccess")
            .WithTags("Residents")
            .WithDescription("Everything held about the resident, as JSON; with Accept: text/html (or ?format=html) the same as a page to send them.")
            .Produces<SubjectAccessResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid residentId, string? format, HttpContext http, StoreConnection store, PersonalDataVault vault, AccessRecorder access, TimeProvider time, CancellationToken cancellationToken)
    {
        var resident = await Streams.LoadOpenedAsync(store.Events, vault, StreamIds.Resident(residentId), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (!resident.State.Exists)
        {
            return TypedResults.Problem(title: "Resident not found", detail: $"There is no resident {residentId}.", statusCode: StatusCodes.Status404NotFound);
        }

        // A record merged into another: the person is held there, and their subject access is that record's.
        if (resident.State.MergedInto is { } into)
        {
            residentId = into;
            resident = await Streams.LoadOpenedAsync(store.Events, vault, StreamIds.Resident(residentId), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
        }

        await access.RecordAsync(http, AccessSubjects.SubjectAccess, residentId, null, cancellationToken).ConfigureAwait(false);

        var events = DomainEventSerializer.DeserializeAll(resident.Recorded).ToList();
        var contacts = await ContactsAsync(store, vault, resident.State, cancellationToken).ConfigureAwait(false);
        var accessLog = (await access.ReadAsync(residentId, cancellationToken).ConfigureAwait(false)).ToList();

        // Every record merged into this one is the same person: its contacts, consent history and who viewed it are
        // theirs too, and so are the details it holds.
        var mergedRecords = new List<MergedRecordView>();
        foreach (var merge in events.OfType<ResidentMerged>().ToList())
        {
            var merged = await Streams.LoadOpenedAsync(store.Events, vault, StreamIds.Resident(merge.MergedResidentId), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
            var mergedDetails = ContactView.Describe(merged.State);
            mergedRecords.Add(new MergedRecordView(merge.MergedResidentId, new SubjectAccessDetails(mergedDetails.Erased, mergedDetails.Name, mergedDetails.DateOfBirth, mergedDetails.Postcode, mergedDetails.Phone, mergedDetails.Email), merge.At, merge.Actor, merge.Reason));
            contacts.AddRange(await ContactsAsync(store, vault, merged.State, cancellationToken).ConfigureAwait(false));
            events.AddRange(DomainEventSerializer.DeserializeAll(merged.Recorded));
            accessLog.AddRange(await access.ReadAsync(merge.MergedResidentId, cancellationToken).ConfigureAwait(false));
        }

        var caseNotes = await CaseNotesAsync(store, vault, contacts, cancellationToken).ConfigureAwait(false);
        var details = ContactView.Describe(resident.State);
        var response = new SubjectAccessResponse(
            residentId,
            time.GetUtcNow(),
            http.Actor(),
            new SubjectAccessDetails(details.Erased, details.Name, details.DateOfBirth, details.Postcode, details.Phone, details.Email),
            ConsentEndpoints.Describe(resident.State, resident.Version),
            events.Select(ConsentChange).OfType<ConsentHistoryEntry>().OrderBy(c => c.At).ToList(),
            contacts.OrderBy(c => c.ReceivedAt).ToList(),
            accessLog.Select(AccessLogEndpoint.Describe).OrderBy(a => a.At).ToList(),
            events.OfType<ResidentErased>().Where(e => e.ResidentId == residentId).Select(PersonalDataErasure.Describe).FirstOrDefault(),
            mergedRecords,
            caseNotes);

        return WantsHtml(http.Request, format)
            ? TypedResults.Content(SubjectAccessPage.Render(response), "text/html; charset=utf-8", Encoding.UTF8)
            : TypedResults.Ok(response);
    }

    /// <summary>What the teams wrote on the cases the resident's contacts led to, each opened with the resident's key.</summary>
    private static async Task<List<SubjectAccessCaseNote>> CaseNotesAsync(StoreConnection store, PersonalDataVault vault, IEnumerable<ContactResponse> contacts, CancellationToken cancellationToken)
    {
        var notes = new List<SubjectAccessCaseNote>();
        foreach (var (contactId, referralId) in contacts.SelectMany(c => c.Referrals.Select(r => (c.ContactId, r.ReferralId))).Distinct())
        {
            var referral = await Streams.LoadOpenedAsync(store.Events, vault, StreamIds.Referral(referralId), ReferralState.Initial, ReferralDecider.Evolve, cancellationToken).ConfigureAwait(false);
            notes.AddRange(referral.State.Notes.Select(n => new SubjectAccessCaseNote(contactId, referralId, referral.State.Service!, n.NoteId, n.Text, n.By, n.At)));
        }

        return [.. notes.OrderBy(n => n.At)];
    }

    /// <summary>The contacts that name <paramref name="resident"/>: a stale read-model row can never pull in someone else's.</summary>
    private static async Task<List<ContactResponse>> ContactsAsync(StoreConnection store, PersonalDataVault vault, ResidentState resident, CancellationToken cancellationToken)
    {
        var contacts = new List<ContactResponse>();
        foreach (var contactId in await ContactIdsAsync(store, resident, cancellationToken).ConfigureAwait(false))
        {
            var view = await ContactView.LoadAsync(store.Events, vault, contactId, cancellationToken).ConfigureAwait(false);
            if (view is not null && view.Response.ResidentId == resident.ResidentId)
            {
                contacts.Add(view.Response);
            }
        }

        return contacts;
    }

    private static async Task<IReadOnlyList<Guid>> ContactIdsAsync(StoreConnection store, ResidentState resident, CancellationToken cancellationToken)
    {
        // The resident's record links each contact once routing has seen it; the contacts read model also knows the
        // ones recorded a moment ago. Either way the contact's own stream has the last word.
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var recorded = await Sql.QueryAsync(
            connection,
            null,
            "SELECT contact_id FROM rm_contacts WHERE resident_id = @id",
            r => Guid.Parse(r.GetString(0)),
            cancellationToken,
            ("id", resident.ResidentId.ToString("D"))).ConfigureAwait(false);
        return resident.ContactIds.Union(recorded).ToList();
    }

    private static ConsentHistoryEntry? ConsentChange(object evt) => evt switch
    {
        ResidentConsentGiven e => new ConsentHistoryEntry(e.At, "given", e.Services, e.Partners, e.Method, e.Actor, e.ContactId),
        ResidentConsentWithdrawn e => new ConsentHistoryEntry(e.At, "withdrawn", e.Services, e.Partners, e.Method, e.Actor, e.ContactId),
        _ => null,
    };

    private static bool WantsHtml(HttpRequest request, string? format)
    {
        if (format is not null)
        {
            return string.Equals(format, "html", StringComparison.OrdinalIgnoreCase);
        }

        var accept = request.GetTypedHeaders().Accept;
        var html = accept.Where(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var json = accept.Where(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        return html > 0 && html > json;
    }
}
