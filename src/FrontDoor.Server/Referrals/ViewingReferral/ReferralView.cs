using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Referrals;
using FrontDoor.Domain.Sla;
using FrontDoor.Server.Infrastructure.Security;

namespace FrontDoor.Server.Referrals.ViewingReferral;

public static class ReferralView
{
    /// <summary>
    /// A 404 for a referral that does not exist or that <paramref name="user"/> may not see (a worker sees only their
    /// own service's: another team's referral is not even said to exist), else null.
    /// </summary>
    public static IResult? NotFoundFor(System.Security.Claims.ClaimsPrincipal user, ReferralState state, Guid referralId) =>
        !state.Exists || (user.IsWorker() && state.Service != user.Service())
            ? TypedResults.Problem(title: "Referral not found", detail: $"There is no referral {referralId}.", statusCode: StatusCodes.Status404NotFound)
            : null;

    /// <summary>Everyone the view names, for <see cref="From"/>'s <c>names</c>.</summary>
    public static IEnumerable<string> People(ReferralState state, ReferralState? replaced = null) =>
        new[] { state.ClaimedBy, replaced?.ReturnedBy }.Concat(state.Notes.Select(n => n.By)).OfType<string>();

    public static ReferralResponse From(ReferralState state, long version, SlaPolicy sla, ReferralState? replaced = null, IReadOnlyDictionary<string, string>? names = null) => new(
        state.ReferralId,
        state.ContactId,
        state.Service!,
        state.Priority!,
        state.Status,
        state.RaisedAt!.Value,
        state.DueAt!.Value,
        state.IsOverdue,
        state.Rule!,
        state.Needs,
        state.ClaimedBy,
        state.Outcome,
        state.ReturnReason,
        state.SuggestedService,
        state.PreviousReferralId,
        version,
        StatutoryClocks.For(state.Needs, state.RaisedAt!.Value, sla)
            .Select(c => new StatutoryClockView(c.Code, c.Name, c.Description, c.Deadline))
            .ToList(),
        state.AttachedContactIds,
        [.. state.Notes.Reverse().Select(n => new CaseNoteView(n.NoteId, n.Text, n.By, n.At))],
        replaced is { Status: ReferralStatus.Returned }
            ? new ReturnedFromView(replaced.ReferralId, replaced.Service!, replaced.ReturnReason, replaced.ReturnedBy, replaced.ReturnedAt)
            : null,
        state.HeldSince,
        names);
}
