using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;

namespace FrontDoor.Server.Residents.ErasingResident;

/// <summary>
/// <c>POST /api/residents/{id}/erasure</c>: a manager erases a resident's personal data (right to erasure). The log
/// keeps every event — contacts, referrals and figures stay whole — but the resident's fields can never be read
/// again. Repeating the request is harmless: it answers with the erasure already recorded.
/// </summary>
public static class EraseResidentEndpoint
{
    public static IEndpointRouteBuilder MapEraseResident(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/residents/{residentId:guid}/erasure", HandleAsync)
            .RequireAuthorization(Policies.Manager)
            .WithName("EraseResident")
            .WithTags("Residents")
            .Accepts<EraseResidentRequest>("application/json")
            .Produces<ErasureResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid residentId, HttpContext http, PersonalDataErasure erasure, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<EraseResidentRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var ifMatch = http.Request.IfMatchVersion();
        if (ifMatch == -1)
        {
            return JsonBody.Invalid("If-Match", "If-Match must be the ETag of the resident's record as read.");
        }

        if (!ErasureBases.IsKnown(request!.Basis))
        {
            return JsonBody.Invalid("basis", $"Say on what basis the data is erased: one of {string.Join(", ", ErasureBases.All)}.");
        }

        // Kept for good after the data is gone, so only a code: a sentence here could name the very person erased.
        var reference = string.IsNullOrWhiteSpace(request.Reference) ? null : request.Reference.Trim();
        if (reference is not null && !ErasureBases.IsSafeReference(reference))
        {
            return JsonBody.Invalid("reference", "A reference is a code such as SAR-2026-0042: letters, digits and / . _ -, starting with a letter or digit, at most 40 characters.");
        }

        var erased = await erasure.EraseAsync(residentId, request.Basis!, reference, http.EventMetadata(), ifMatch, cancellationToken).ConfigureAwait(false);
        if (erased is not { } done)
        {
            return TypedResults.Problem(title: "Resident not found", detail: $"There is no resident {residentId}.", statusCode: StatusCodes.Status404NotFound);
        }

        http.Response.Headers.ETag = $"\"{done.Version}\"";
        return TypedResults.Ok(done.Erasure);
    }
}
