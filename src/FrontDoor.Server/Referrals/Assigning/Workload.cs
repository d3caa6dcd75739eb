using System.Globalization;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Queues;

namespace FrontDoor.Server.Referrals.Assigning;

/// <summary>
/// The cap on open referrals per worker (<see cref="PolicyConfiguration.MaxOpenReferralsPerWorker"/>), checked before
/// anyone takes on more: by claiming it or by being assigned it.
/// </summary>
public static class Workload
{
    /// <summary>How many open referrals <paramref name="holder"/> holds besides <paramref name="except"/>.</summary>
    public static async Task<long> OpenHeldByAsync(StoreConnection store, string holder, Guid except, CancellationToken cancellationToken)
    {
        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await Sql.ScalarAsync(
                connection,
                null,
                $"SELECT count(*) FROM rm_referrals WHERE claimed_by = @holder AND status IN {QueueRows.OpenStatuses} AND referral_id <> @except",
                cancellationToken,
                ("holder", holder),
                ("except", except.ToString("D"))).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A 409 naming the cap when taking <paramref name="referralId"/> on would put <paramref name="holder"/> over it,
    /// else null. Checked before the append, so two assignments at the same moment may each see room for one; the
    /// cap is a team's working limit, not a safety invariant, and one over it shows on the manager's view.
    /// </summary>
    public static async Task<IResult?> RefuseOverCapAsync(HttpContext http, string holder, string holderName, Guid referralId, CancellationToken cancellationToken)
    {
        if (http.RequestServices.GetRequiredService<PolicyConfiguration>().MaxOpenReferralsPerWorker is not { } cap)
        {
            return null;
        }

        var held = await OpenHeldByAsync(http.RequestServices.GetRequiredService<StoreConnection>(), holder, referralId, cancellationToken).ConfigureAwait(false);
        if (held < cap)
        {
            return null;
        }

        return TypedResults.Problem(
            title: "Too much open work for one person.",
            detail: string.Create(CultureInfo.InvariantCulture, $"{holderName} already holds {held} open referrals, the most one worker may hold ({cap}). Finish or hand on some of them, or give this one to a colleague."),
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = "referral.worker-at-cap", ["holder"] = holder, ["cap"] = cap, ["held"] = held });
    }
}
