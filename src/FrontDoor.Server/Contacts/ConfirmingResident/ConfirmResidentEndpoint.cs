using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;

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

    private static async Task<IResult> HandleAsync(Guid contactId, HttpContext http, IEventStore store, ContactPolicy policy, TimeProvider time, CancellationToken cancellationToken)
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

        var ifMatch = http.Request.IfMatchVersion();
        if (ifMatch == -1)
        {
            errors["If-Match"] = ["If-Match must be the ETag of the contact as read."];
        }

        if (errors.Count == 0)
        {
            var resident = await Streams.LoadAsync(store, StreamIds.Resident(residentId), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
            if (!resident.State.Exists || resident.State.Erased)
            {
                errors["residentId"] = [$"There is no resident {residentId} to confirm (unknown, or erased)."];
            }
        }

        if (errors.Count > 0)
        {
            return JsonBody.Invalid(errors);
        }

        var stream = StreamIds.Contact(contactId);
        if (await Streams.LoadForChangeAsync(store, stream, ContactState.Initial, ContactDecider.Evolve, s => s.Exists, ifMatch, cancellationToken).ConfigureAwait(false) is not { } loaded)
        {
            return TypedResults.Problem(title: "Contact not found", detail: $"There is no contact {contactId}.", statusCode: StatusCodes.Status404NotFound);
        }

        var decided = ContactDecider.Decide(loaded.State, new ConfirmResident(contactId, residentId, request.ConsentToShare!.Value, http.Actor()), time.GetUtcNow(), policy);
        var version = loaded.Version;
        if (decided.Count > 0)
        {
            var result = await store.AppendAsync(stream, ExpectedVersion.Exact(loaded.Version), Streams.Commanded(decided, http.EventMetadata(contactId.ToString("D"))), cancellationToken).ConfigureAwait(false);
            version = result.StreamVersion;
        }

        http.Response.Headers.ETag = RequestContext.ETag(version);
        return TypedResults.Ok(new ResidentConfirmedResponse(contactId, residentId, version));
    }
}

public sealed record ConfirmResidentRequest(Guid? ResidentId, bool? ConsentToShare);

public sealed record ResidentConfirmedResponse(Guid ContactId, Guid ResidentId, long Version);
