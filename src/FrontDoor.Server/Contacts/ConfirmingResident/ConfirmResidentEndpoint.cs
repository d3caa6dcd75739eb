using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Contacts.ConfirmingResident;

/// <summary>
/// <c>POST /api/contacts/{id}/resident</c>: an agent who has spoken to the resident confirms whose contact an
/// unverified one (the public form's) is, and records the consent to share the resident gave them. Only then is the
/// contact joined to the resident's record: the form alone never changes a known resident's record.
/// </summary>
public static class ConfirmResidentEndpoint
{
    public static IEndpointRouteBuilder MapConfirmResident(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/contacts/{contactId:guid}/resident", HandleAsync)
            .RequireAuthorization(Policies.Agent)
            .WithName("ConfirmContactResident")
            .WithTags("Contacts")
            .Accepts<ConfirmResidentRequest>("application/json")
            .Produces<ResidentConfirmedResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid contactId, HttpContext http, IEventLog store, ContactPolicy policy, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ConfirmResidentRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request!.ResidentId is not { } residentId || residentId == Guid.Empty)
        {
            errors["residentId"] = ["Say which resident this contact is from."];
            residentId = Guid.Empty;
        }

        if (request.ConsentToShare is null)
        {
            errors["consentToShare"] = ["Say whether the resident agreed, when you spoke to them, to share their details with the teams we refer them to."];
        }

        if (errors.Count == 0)
        {
            var resident = await Streams.LoadAsync(store, StreamKinds.Resident, residentId, cancellationToken).ConfigureAwait(false);
            if (!resident.State.Exists || resident.State.Erased)
            {
                errors["residentId"] = [$"There is no resident {residentId} to confirm (unknown, or erased)."];
            }
        }

        return await http.ChangeAsync(StreamKinds.Contact, contactId, new StreamCommand<ContactState>
        {
            Invalid = errors,
            Decide = (contact, now) => ContactDecider.Decide(contact, new ConfirmResident(contactId, residentId, request.ConsentToShare!.Value, http.Actor()), now, policy),
            Correlation = _ => contactId.ToString("D"),
            Respond = changed => TypedResults.Ok(new ResidentConfirmedResponse(contactId, residentId, changed.Version)),
        }, cancellationToken).ConfigureAwait(false);
    }
}

public sealed record ConfirmResidentRequest(Guid? ResidentId, bool? ConsentToShare);

public sealed record ResidentConfirmedResponse(Guid ContactId, Guid ResidentId, long Version);
