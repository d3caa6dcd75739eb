using FrontDoor.Contracts;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Residents.MergingResidents;

/// <summary>
/// <c>POST /api/residents/{id}/merge</c> <c>{mergedResidentId, reason}</c>: a manager found two records are the same
/// person, and merges the other one into this one. Both streams change in one transaction — this record takes the
/// other in, the other says where the person is held now — so no look-up ever sees half a merge. Both histories are
/// kept; from then on look-ups, new contacts, subject access and erasure find the person in this record.
/// </summary>
public static class MergeResidentsEndpoint
{
    public static IEndpointRouteBuilder MapMergeResidents(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/residents/{residentId:guid}/merge", HandleAsync)
            .RequireAuthorization(Policies.Manager)
            .WithName("MergeResidents")
            .WithTags("Residents")
            .Accepts<MergeResidentsRequest>("application/json")
            .Produces<MergeResidentsResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid residentId, HttpContext http, StoreConnection store, PersonalDataVault vault, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<MergeResidentsRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request!.MergedResidentId is not { } mergedId || mergedId == Guid.Empty)
        {
            errors["mergedResidentId"] = ["Name the record to merge into this one: its resident id."];
        }
        else if (mergedId == residentId)
        {
            errors["mergedResidentId"] = ["A record cannot be merged into itself."];
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            errors["reason"] = ["Say why the two records are the same person, so the merge can be checked later."];
        }
        else if (request.Reason.Trim().Length > ResidentDecider.MaxMergeReasonLength)
        {
            errors["reason"] = [$"A merge reason is at most {ResidentDecider.MaxMergeReasonLength} characters."];
        }

        var ifMatch = http.Request.IfMatchVersion();
        if (ifMatch == -1)
        {
            errors["If-Match"] = ["If-Match must be the ETag of this resident's record as read."];
        }

        if (errors.Count > 0)
        {
            return JsonBody.Invalid(errors);
        }

        var uow = await store.BeginUnitOfWorkAsync(cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var survivor = await StreamChange.FetchAsync(uow, StreamKinds.Resident, residentId, cancellationToken).ConfigureAwait(false);
            await using var disposeSurvivor = survivor.ConfigureAwait(false);
            if (!survivor.State.Exists)
            {
                return StreamCommands.NotFound(StreamKinds.Resident, residentId);
            }

            var merged = await StreamChange.FetchAsync(uow, StreamKinds.Resident, request.MergedResidentId!.Value, cancellationToken).ConfigureAwait(false);
            await using var disposeMerged = merged.ConfigureAwait(false);
            if (!merged.State.Exists)
            {
                return JsonBody.Invalid("mergedResidentId", $"There is no resident {request.MergedResidentId}.");
            }

            StreamChange.RefuseStale(StreamKinds.Resident, residentId, ifMatch, survivor);
            var now = time.GetUtcNow();
            var actor = http.Actor();
            var reason = request.Reason!.Trim();

            // Decided on both before either is written: a merge either side refuses (erased, already merged
            // elsewhere, holding merged records of its own) changes nothing.
            var absorbed = ResidentDecider.Decide(survivor.State, new AbsorbResident(residentId, merged.State.ResidentId, reason, actor), now);
            var mergedAway = ResidentDecider.Decide(merged.State, new MergeIntoResident(merged.State.ResidentId, residentId, reason, actor), now);
            var metadata = http.EventMetadata();
            var changed = await StreamChange.AppendAsync(uow, StreamKinds.Resident, survivor, absorbed, events => vault.ToEventDataAsync(events, _ => Guid.NewGuid(), metadata, cancellationToken), cancellationToken).ConfigureAwait(false);
            await StreamChange.AppendAsync(uow, StreamKinds.Resident, merged, mergedAway, events => vault.ToEventDataAsync(events, _ => Guid.NewGuid(), metadata, cancellationToken), cancellationToken).ConfigureAwait(false);
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            http.Response.Headers.ETag = RequestContext.ETag(changed.Version);
            return TypedResults.Ok(new MergeResidentsResponse(residentId, merged.State.ResidentId, changed.Version));
        }
    }
}
