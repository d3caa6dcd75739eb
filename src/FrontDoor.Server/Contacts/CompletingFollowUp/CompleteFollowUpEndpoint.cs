using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

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

    private static async Task<IResult> HandleAsync(Guid contactId, HttpContext http, ContactPolicy policy, CancellationToken cancellationToken)
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

        return await http.ChangeAsync(StreamKinds.Contact, contactId, new StreamCommand<ContactState>
        {
            Invalid = errors,
            Decide = (contact, now) => ContactDecider.CheckBack(contact, new CompleteFollowUp(contactId, request.Helped!.Value, request.Note!.Trim(), http.Actor()), now, policy),
            Correlation = _ => contactId.ToString("D"),
            // The note is what the resident said: sealed under the contact's data subject, left out if they are erased.
            OmitPersonalDataOfErased = true,
            Respond = changed => TypedResults.Ok(new FollowUpCompletedResponse(contactId, changed.State.Status, changed.Version)),
        }, cancellationToken).ConfigureAwait(false);
    }
}

public sealed record FollowUpCompletedResponse(Guid ContactId, string Status, long Version);
