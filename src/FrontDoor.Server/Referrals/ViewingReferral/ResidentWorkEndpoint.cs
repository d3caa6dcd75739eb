using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Contacts.ViewingContact;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Queues;

namespace FrontDoor.Server.Referrals.ViewingReferral;

/// <summary>
/// <c>GET /api/referrals/{id}/resident-work</c>: the resident's other contacts and open referrals across services,
/// with who holds them, for whoever works the case — shared on the same terms as the resident's details: a worker
/// sees them where the resident's consent covers their service (or the contact is a safeguarding concern).
/// </summary>
public static class ResidentWorkEndpoint
{
    public static IEndpointRouteBuilder MapResidentWork(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/referrals/{referralId:guid}/resident-work", HandleAsync)
            .RequireAuthorization(Policies.Caseworker)
            .WithName("ViewResidentWork")
            .WithTags("Referrals")
            .Produces<ResidentWorkResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid referralId, HttpContext http, StoreConnection store, PersonalDataVault vault, IStaffDirectory staff, CancellationToken cancellationToken)
    {
        var referral = await Streams.LoadAsync(store.Events, StreamIds.Referral(referralId), ReferralState.Initial, ReferralDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (ReferralView.NotFoundFor(http.User, referral.State, referralId) is { } notFound)
        {
            return notFound;
        }

        var contact = await ContactView.LoadAsync(store.Events, vault, referral.State.ContactId, cancellationToken).ConfigureAwait(false);
        var shown = contact is null ? null : http.User.IsWorker() ? contact.ForService(referral.State.Service!) : contact.Response;
        if (shown is not { Resident: { Erased: false }, ResidentId: { } residentId })
        {
            return TypedResults.Ok(new ResidentWorkResponse(referralId, null, false, [], []));
        }

        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var contacts = await Sql.QueryAsync(
                connection,
                null,
                "SELECT contact_id, channel, site_id, received_at_ms, status FROM rm_contacts WHERE resident_id = @resident AND contact_id <> @contact ORDER BY received_at_ms DESC, contact_id",
                r => new ResidentContactView(Guid.Parse(r.GetString(0)), ContactReference.Of(Guid.Parse(r.GetString(0))), r.GetString(1), r.NullableString(2), Sql.FromUnixMs(r.GetInt64(3)), r.GetString(4)),
                cancellationToken,
                ("resident", residentId.ToString("D")),
                ("contact", referral.State.ContactId.ToString("D"))).ConfigureAwait(false);
            var open = await QueueRows.OpenReferralsAsync(
                connection,
                "referral_id <> @referral AND contact_id IN (SELECT contact_id FROM rm_contacts WHERE resident_id = @resident)",
                cancellationToken,
                null,
                ("referral", referralId.ToString("D")),
                ("resident", residentId.ToString("D"))).ConfigureAwait(false);
            var names = await staff.NamesAsync(QueueRows.Holders(open), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new ResidentWorkResponse(
                referralId,
                residentId,
                true,
                contacts,
                [.. open.Select(r => new ResidentReferralView(r.ReferralId!.Value, r.Service!, r.Priority, r.Status, r.DueAt, r.Overdue, r.ClaimedBy, r.ClaimedBy is { } holder && names.TryGetValue(holder, out var name) ? name : null))]));
        }
    }
}
