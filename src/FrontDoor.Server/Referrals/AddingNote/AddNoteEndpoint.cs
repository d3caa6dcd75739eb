using System.Security.Claims;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Referrals.ActingOnReferral;

namespace FrontDoor.Server.Referrals.AddingNote;

/// <summary>
/// <c>POST /api/referrals/{id}/notes</c>: a note on the case, by a worker of the service that holds it (the agents,
/// for the front door's own triage) or a manager. The note goes through the referral's one command path, sealed under
/// the contact's data subject, so subject access shows it and erasure leaves it unreadable.
/// </summary>
public static class AddNoteEndpoint
{
    public const int MaxNoteLength = ReferralActionEndpoints.MaxTextLength;

    public static IEndpointRouteBuilder MapAddNote(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/referrals/{referralId:guid}/notes", HandleAsync)
            .RequireAuthorization(Policies.Caseworker)
            .WithName("AddCaseNote")
            .WithTags("Referrals")
            .WithDescription("Adds a note to the case. Send an Idempotency-Key so a retry records the note once; If-Match is optional.")
            .Accepts<AddNoteRequest>("application/json")
            .Produces<CaseNoteResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid referralId, HttpContext http, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<AddNoteRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request!.Text))
        {
            errors["text"] = ["Write the note."];
        }
        else if (request.Text.Length > MaxNoteLength)
        {
            errors["text"] = [$"At most {MaxNoteLength} characters."];
        }

        var idempotencyKey = http.Request.IdempotencyKey(errors);

        // The same key from the same person on the same case is the same note.
        var actor = http.Actor();
        var noteId = idempotencyKey.Length > 0
            ? DeterministicId.From("referral-note", referralId.ToString("D"), actor, idempotencyKey)
            : Guid.NewGuid();
        return await ReferralActionEndpoints.DecideAndAppendAsync(
            referralId,
            http,
            (id, by) => new AddCaseNote(id, noteId, request.Text?.Trim() ?? string.Empty, by),
            MayWriteNotes,
            cancellationToken,
            errors,
            respond: changed =>
            {
                var note = changed.State.Notes.Single(n => n.NoteId == noteId);
                return TypedResults.Created($"/api/referrals/{referralId:D}", new CaseNoteResponse(referralId, note.NoteId, note.Text, note.By, note.At, changed.Version));
            }).ConfigureAwait(false);
    }

    /// <summary>
    /// Managers write on any case; a worker of another service never learns the case exists; an agent may write on the
    /// front door's own triage work and is told plainly that other teams' cases are theirs.
    /// </summary>
    private static IResult? MayWriteNotes(ClaimsPrincipal user, ReferralState referral) =>
        user.IsManager() || user.WorksFor(referral.Service!)
            ? null
            : user.IsWorker()
                ? StreamCommands.NotFound(StreamKinds.Referral, referral.ReferralId)
                : TypedResults.Problem(title: "Forbidden", detail: $"This case is with {referral.Service}; only that team or a manager can add notes to it.", statusCode: StatusCodes.Status403Forbidden);
}
