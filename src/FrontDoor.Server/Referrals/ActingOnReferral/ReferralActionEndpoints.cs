using System.Security.Claims;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Infrastructure.Telemetry;
using FrontDoor.Server.Referrals.Assigning;

namespace FrontDoor.Server.Referrals.ActingOnReferral;

/// <summary>
/// A service team works a referral: claim, accept, return (with a reason) or complete (with an outcome). Each action
/// appends at the version the worker saw; with <c>If-Match</c> a stale view is refused with 412, so two workers
/// cannot both claim one referral. Only whoever holds it acts on held work, or their manager; a manager does not
/// claim work (they assign it).
/// </summary>
public static class ReferralActionEndpoints
{
    public const int MaxTextLength = 2000;

    public static IEndpointRouteBuilder MapReferralActions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/referrals/{referralId:guid}").WithTags("Referrals").RequireAuthorization(Policies.Caseworker);

        group.MapPost("/claim", ClaimAsync)
            .WithName("ClaimReferral")
            .Describe();

        group.MapPost("/accept", (Guid referralId, HttpContext http, CancellationToken ct) =>
                ActAsync(referralId, http, (id, actor) => new AcceptReferral(id, actor), ct))
            .WithName("AcceptReferral")
            .Describe();

        group.MapPost("/return", ReturnAsync)
            .WithName("ReturnReferral")
            .Accepts<ReturnReferralRequest>("application/json")
            .ProducesValidationProblem()
            .Describe();

        group.MapPost("/complete", CompleteAsync)
            .WithName("CompleteReferral")
            .Accepts<CompleteReferralRequest>("application/json")
            .ProducesValidationProblem()
            .Describe();
        return app;
    }

    private static async Task<IResult> ClaimAsync(Guid referralId, HttpContext http, CancellationToken cancellationToken)
    {
        var overCap = await Workload.RefuseOverCapAsync(http, http.Actor(), http.User.Identity?.Name ?? http.Actor(), referralId, cancellationToken).ConfigureAwait(false);
        return await DecideAndAppendAsync(referralId, http, (id, actor) => new ClaimReferral(id, actor), (user, referral) => TeamOnly(user, referral) ?? overCap, cancellationToken).ConfigureAwait(false);
    }

    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder) => builder
        .Produces<ReferralActionResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed);

    private static async Task<IResult> ReturnAsync(Guid referralId, HttpContext http, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<ReturnReferralRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        RequireText(errors, "reason", request!.Reason, "Say why the referral is coming back, so the next team starts informed.");
        if (request.SuggestedService is not null && !Vocabulary.IsKnownService(request.SuggestedService))
        {
            errors["suggestedService"] = [$"'{request.SuggestedService}' is not a service; use one of {string.Join(", ", Vocabulary.Services)}."];
        }

        return await ActAsync(referralId, http, (id, actor) => new ReturnReferral(id, request.Reason!.Trim(), request.SuggestedService, actor), cancellationToken, errors).ConfigureAwait(false);
    }

    private static async Task<IResult> CompleteAsync(Guid referralId, HttpContext http, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<CompleteReferralRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        RequireText(errors, "outcome", request!.Outcome, "Record the outcome for the resident.");
        return await ActAsync(referralId, http, (id, actor) => new CompleteReferral(id, request.Outcome!.Trim(), actor), cancellationToken, errors).ConfigureAwait(false);
    }

    private static void RequireText(Dictionary<string, string[]> errors, string field, string? value, string whenMissing)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [whenMissing];
        }
        else if (value.Length > MaxTextLength)
        {
            errors[field] = [$"At most {MaxTextLength} characters."];
        }
    }

    private static Task<IResult> ActAsync(Guid referralId, HttpContext http, Func<Guid, string, ReferralCommand> command, CancellationToken cancellationToken, Dictionary<string, string[]>? errors = null) =>
        DecideAndAppendAsync(referralId, http, command, TeamOrManager, cancellationToken, errors);

    /// <summary>The team's own work, or any work for a manager, who oversees every team.</summary>
    public static IResult? TeamOrManager(ClaimsPrincipal user, ReferralState referral) => user.IsManager() ? null : TeamOnly(user, referral);

    /// <summary>
    /// A worker never learns that another service's referral exists; an agent, who sees every contact's referrals,
    /// is told plainly that only front-door work is theirs to act on.
    /// </summary>
    public static IResult? TeamOnly(ClaimsPrincipal user, ReferralState referral) =>
        user.IsWorker() && !user.WorksFor(referral.Service!)
            ? StreamCommands.NotFound(StreamKinds.Referral, referral.ReferralId)
            : !user.WorksFor(referral.Service!)
                ? TypedResults.Problem(title: "Forbidden", detail: $"This referral is with {referral.Service}; only that team can act on it.", statusCode: StatusCodes.Status403Forbidden)
                : null;

    /// <summary>Every action on a referral, through the one command path, so all of them keep the same rules.</summary>
    public static Task<IResult> DecideAndAppendAsync(
        Guid referralId,
        HttpContext http,
        Func<Guid, string, ReferralCommand> command,
        Func<ClaimsPrincipal, ReferralState, IResult?> authorize,
        CancellationToken cancellationToken,
        Dictionary<string, string[]>? errors = null,
        Func<Changed<ReferralState>, IResult>? respond = null) =>
        http.ChangeAsync(StreamKinds.Referral, referralId, new StreamCommand<ReferralState>
        {
            Authorise = authorize,
            Invalid = errors,
            Decide = (referral, now) => ReferralDecider.Decide(referral, command(referralId, http.Actor()) with { ByManager = http.User.IsManager() }, now),
            Correlation = referral => referral.ContactId.ToString("D"),
            // What staff write (an outcome, a reason) is sealed under the contact's data subject. After an erasure
            // the work still has to finish, so the text is left out rather than the action refused.
            OmitPersonalDataOfErased = true,
            Respond = respond ?? (changed =>
            {
                if (changed.Decided.OfType<ReferralReturned>().Any())
                {
                    http.RequestServices.GetRequiredService<FrontDoorMetrics>().ReferralReturned(changed.State.Service!);
                }

                return TypedResults.Ok(new ReferralActionResponse(referralId, changed.State.Status, changed.Version));
            }),
        }, cancellationToken);
}
