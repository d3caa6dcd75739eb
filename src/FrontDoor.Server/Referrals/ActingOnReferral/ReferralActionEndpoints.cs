using System.Security.Claims;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Referrals;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Telemetry;

namespace FrontDoor.Server.Referrals.ActingOnReferral;

/// <summary>
/// A service team works a referral: claim, accept, return (with a reason) or complete (with an outcome). Each action
/// appends at the version the worker saw; with <c>If-Match</c> a stale view is refused with 412, so two workers
/// cannot both claim one referral.
/// </summary>
public static class ReferralActionEndpoints
{
    public const int MaxTextLength = 2000;

    public static IEndpointRouteBuilder MapReferralActions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/referrals/{referralId:guid}").WithTags("Referrals").RequireAuthorization(Policies.ReferralActor);

        group.MapPost("/claim", (Guid referralId, HttpContext http, IEventStore store, TimeProvider time, CancellationToken ct) =>
                ActAsync(referralId, http, store, time, (id, actor) => new ClaimReferral(id, actor), ct))
            .WithName("ClaimReferral")
            .Describe();

        group.MapPost("/accept", (Guid referralId, HttpContext http, IEventStore store, TimeProvider time, CancellationToken ct) =>
                ActAsync(referralId, http, store, time, (id, actor) => new AcceptReferral(id, actor), ct))
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

    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder) => builder
        .Produces<ReferralActionResponse>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed);

    private static async Task<IResult> ReturnAsync(Guid referralId, HttpContext http, IEventStore store, TimeProvider time, CancellationToken cancellationToken)
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

        return await ActAsync(referralId, http, store, time, (id, actor) => new ReturnReferral(id, request.Reason!.Trim(), request.SuggestedService, actor), cancellationToken, errors).ConfigureAwait(false);
    }

    private static async Task<IResult> CompleteAsync(Guid referralId, HttpContext http, IEventStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<CompleteReferralRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        RequireText(errors, "outcome", request!.Outcome, "Record the outcome for the resident.");
        return await ActAsync(referralId, http, store, time, (id, actor) => new CompleteReferral(id, request.Outcome!.Trim(), actor), cancellationToken, errors).ConfigureAwait(false);
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

    /// <summary>
    /// Who may act is settled before what they sent is judged, so a caller learns nothing about a referral that is
    /// not theirs from the validation of their request.
    /// </summary>
    private static Task<IResult> ActAsync(Guid referralId, HttpContext http, IEventStore store, TimeProvider time, Func<Guid, string, ReferralCommand> command, CancellationToken cancellationToken, Dictionary<string, string[]>? errors = null) =>
        DecideAndAppendAsync(referralId, http, store, time, command, TeamOnly, cancellationToken, errors);

    /// <summary>
    /// A worker never learns that another service's referral exists; an agent, who sees every contact's referrals,
    /// is told plainly that only front-door work is theirs to act on.
    /// </summary>
    private static IResult? TeamOnly(ClaimsPrincipal user, ReferralState referral) =>
        user.IsWorker() && !user.WorksFor(referral.Service!)
            ? TypedResults.Problem(title: "Referral not found", detail: $"There is no referral {referral.ReferralId} for you.", statusCode: StatusCodes.Status404NotFound)
            : !user.WorksFor(referral.Service!)
                ? TypedResults.Problem(title: "Forbidden", detail: $"This referral is with {referral.Service}; only that team can act on it.", statusCode: StatusCodes.Status403Forbidden)
                : null;

    /// <summary>
    /// Loads the referral, lets <paramref name="authorize"/> refuse, then judges the request, honours If-Match, decides
    /// and appends at the version read. Shared by every action on a referral, so all of them keep the same rules.
    /// </summary>
    public static async Task<IResult> DecideAndAppendAsync(
        Guid referralId,
        HttpContext http,
        IEventStore store,
        TimeProvider time,
        Func<Guid, string, ReferralCommand> command,
        Func<ClaimsPrincipal, ReferralState, IResult?> authorize,
        CancellationToken cancellationToken,
        Dictionary<string, string[]>? errors = null)
    {
        var ifMatch = http.Request.IfMatchVersion();
        if (ifMatch == -1)
        {
            return JsonBody.Invalid("If-Match", "If-Match must be the ETag of the referral as read.");
        }

        var stream = StreamIds.Referral(referralId);
        var loaded = await Streams.LoadAsync(store, stream, ReferralState.Initial, ReferralDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (!loaded.State.Exists)
        {
            return TypedResults.Problem(title: "Referral not found", detail: $"There is no referral {referralId} for you.", statusCode: StatusCodes.Status404NotFound);
        }

        if (authorize(http.User, loaded.State) is { } refused)
        {
            return refused;
        }

        if (errors is { Count: > 0 })
        {
            return JsonBody.Invalid(errors);
        }

        if (ifMatch is { } expected && expected != loaded.Version)
        {
            throw new WrongExpectedVersionException(stream, ExpectedVersion.Exact(expected), loaded.Version);
        }

        var decided = ReferralDecider.Decide(loaded.State, command(referralId, http.Actor()), time.GetUtcNow());
        var after = ReferralDecider.Fold(loaded.State, decided);
        var version = loaded.Version;
        if (decided.Count > 0)
        {
            // What staff write (an outcome, a reason) is sealed under the contact's data subject. After an erasure the
            // work still has to finish, so the text is left out rather than the action refused.
            var vault = http.RequestServices.GetRequiredService<PersonalDataVault>();
            var events = await vault.ToEventDataAsync(decided, _ => Guid.NewGuid(), http.EventMetadata(loaded.State.ContactId.ToString("D")), cancellationToken, omitWhenErased: true).ConfigureAwait(false);
            var result = await store.AppendAsync(stream, ExpectedVersion.Exact(loaded.Version), events, cancellationToken).ConfigureAwait(false);
            version = result.StreamVersion;
            if (after.Status == ReferralStatus.Returned)
            {
                http.RequestServices.GetRequiredService<FrontDoorMetrics>().ReferralReturned(loaded.State.Service!);
            }
        }

        http.Response.Headers.ETag = RequestContext.ETag(version);
        return TypedResults.Ok(new ReferralActionResponse(referralId, after.Status, version));
    }
}
