using FrontDoor.Contracts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Referrals.ActingOnReferral;
using FrontDoor.Server.Staff;

namespace FrontDoor.Server.Referrals.Assigning;

/// <summary>
/// <c>POST /api/referrals/{id}/assign</c> <c>{assignee}</c>: a manager gives a referral to a named member of its
/// team, or a worker hands their own (or unheld) work to a colleague. The assignee must have signed in to FrontDoor
/// and work for the referral's service; the cap on open work per worker applies.
/// </summary>
public static class AssignReferralEndpoint
{
    public const int MaxAssigneeLength = 200;

    public static IEndpointRouteBuilder MapAssignReferral(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/referrals/{referralId:guid}/assign", HandleAsync)
            .RequireAuthorization(Policies.Caseworker)
            .WithName("AssignReferral")
            .WithTags("Referrals")
            .Accepts<AssignReferralRequest>("application/json")
            .Produces<ReferralActionResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid referralId, HttpContext http, StaffDirectory staff, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<AssignReferralRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var assignee = request!.Assignee?.Trim();
        // A user id is an identity provider's subject: never control characters (PostgreSQL text cannot even hold a NUL).
        if (string.IsNullOrEmpty(assignee) || assignee.Length > MaxAssigneeLength || assignee.Any(char.IsControl))
        {
            return JsonBody.Invalid("assignee", "Choose the colleague who is to hold the referral (their user id).");
        }

        // Looked up before the referral is loaded, and told only to someone who may act on it.
        var member = await staff.FindAsync(assignee, cancellationToken).ConfigureAwait(false);
        var overCap = member is null ? null : await Workload.RefuseOverCapAsync(http, member.UserId, member.Name, referralId, cancellationToken).ConfigureAwait(false);
        return await ReferralActionEndpoints.DecideAndAppendAsync(
            referralId,
            http,
            (id, actor) => new AssignReferral(id, member!.UserId, actor),
            (user, referral) => ReferralActionEndpoints.TeamOrManager(user, referral)
                ?? (member is null
                    ? JsonBody.Invalid("assignee", $"Nobody with the user id '{assignee}' has signed in to FrontDoor; colleagues can be given work once they have.")
                    : !StaffDirectory.WorksFor(member, referral.Service!)
                        ? JsonBody.Invalid("assignee", $"{member.Name} does not work for {referral.Service}; choose someone from that team.")
                        : overCap),
            cancellationToken).ConfigureAwait(false);
    }
}
