using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;

namespace FrontDoor.Server.Contacts.CompletingFollowUp;

/// <summary>
/// <c>POST /api/contacts/{id}/follow-up</c>: someone checked back with the resident. Helped, and with nothing else
/// open, the contact closes; not helped, it goes back to the front door's triage.
/// </summary>
public static class CompleteFollowUpEndpoint
{
    public const int MaxNoteLength = 2000;

    public static IEndpointRouteBuilder MapCompleteFollowUp(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/contacts/{contactId:guid}/follow-up", HandleAsync)
            .RequireAuthorization(Policies.Agent)
            .WithName("CompleteFollowUp")
            .WithTags("Contacts")
            .Accepts<CompleteFollowUpRequest>("application/json")
            .Produces<FollowUpCompletedResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid contactId, HttpContext http, IEventStore store, PersonalDataVault vault, ContactPolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<CompleteFollowUpRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request!.Helped is null)
        {
            errors["helped"] = ["Say whether the resident was helped."];
        }

        if (string.IsNullOrWhiteSpace(request.Note))
        {
            errors["note"] = ["Record what the resident said."];
        }
        else if (request.Note.Length > MaxNoteLength)
        {
            errors["note"] = [$"A note is at most {MaxNoteLength} characters."];
        }

        var ifMatch = http.Request.IfMatchVersion();
        if (ifMatch == -1)
        {
            errors["If-Match"] = ["If-Match must be the ETag of the contact as read."];
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

        var decided = ContactDecider.CheckBack(loaded.State, new CompleteFollowUp(contactId, request.Helped!.Value, request.Note!.Trim(), http.Actor()), time.GetUtcNow(), policy);
        var after = ContactDecider.Fold(loaded.State, decided);
        // The note is what the resident said: sealed under the contact's data subject, left out if they are erased.
        var events = await vault.ToEventDataAsync(decided, _ => Guid.NewGuid(), http.EventMetadata(contactId.ToString("D")), cancellationToken, omitWhenErased: true).ConfigureAwait(false);
        var result = await store.AppendAsync(stream, ExpectedVersion.Exact(loaded.Version), events, cancellationToken).ConfigureAwait(false);
        http.Response.Headers.ETag = RequestContext.ETag(result.StreamVersion);
        return TypedResults.Ok(new FollowUpCompletedResponse(contactId, after.Status, result.StreamVersion));
    }
}

public sealed record FollowUpCompletedResponse(Guid ContactId, string Status, long Version);
