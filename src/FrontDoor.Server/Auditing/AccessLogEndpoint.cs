using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Audit;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Auditing;

/// <summary><c>GET /api/residents/{id}/access-log</c>: who has viewed this resident's personal data, and when.</summary>
public static class AccessLogEndpoint
{
    public static IEndpointRouteBuilder MapAccessLog(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/residents/{residentId:guid}/access-log", HandleAsync)
            .RequireAuthorization(Policies.Manager)
            .WithName("ViewResidentAccessLog")
            .WithTags("Residents")
            .Produces<AccessLogResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid residentId, IEventLog store, AccessRecorder recorder, CancellationToken cancellationToken)
    {
        var resident = await Streams.LoadAsync(store, StreamIds.Resident(residentId), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (!resident.State.Exists)
        {
            return TypedResults.Problem(title: "Resident not found", detail: $"There is no resident {residentId}.", statusCode: StatusCodes.Status404NotFound);
        }

        var entries = await recorder.ReadAsync(residentId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new AccessLogResponse(residentId, entries.Select(Describe).ToList()));
    }

    public static AccessLogEntry Describe(PersonalDataViewed viewed) =>
        new(viewed.At, viewed.Viewer, viewed.ViewerRole, viewed.ViewerService, viewed.Subject, viewed.ContactId, viewed.Purpose);
}
