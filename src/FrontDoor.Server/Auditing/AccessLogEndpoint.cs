using FrontDoor.Domain;
using FrontDoor.Domain.Residents;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Security;

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

    private static async Task<IResult> HandleAsync(Guid residentId, IEventStore store, AccessRecorder recorder, CancellationToken cancellationToken)
    {
        var resident = await Streams.LoadAsync(store, StreamIds.Resident(residentId), ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (!resident.State.Exists)
        {
            return TypedResults.Problem(title: "Resident not found", detail: $"There is no resident {residentId}.", statusCode: StatusCodes.Status404NotFound);
        }

        var entries = await recorder.ReadAsync(residentId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new AccessLogResponse(
            residentId,
            entries.Select(e => new AccessLogEntry(e.At, e.Viewer, e.ViewerRole, e.ViewerService, e.Subject, e.ContactId, e.Purpose)).ToList()));
    }
}

public sealed record AccessLogResponse(Guid ResidentId, IReadOnlyList<AccessLogEntry> Entries);

public sealed record AccessLogEntry(DateTimeOffset At, string Viewer, string Role, string? Service, string Subject, Guid? ContactId, string Purpose);
