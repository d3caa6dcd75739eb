using System.Data.Common;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Server.Figures.ListingWork;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Queues;
using FrontDoor.Server.ReadModels;

namespace FrontDoor.Server.Figures.ViewingFigures;

/// <summary>
/// <c>GET /api/figures</c>: what a manager watches — queue depth and oldest unclaimed work per service, overdue
/// referrals, returns, check-backs due, today's contacts by channel and site, and contacts without an owner
/// (the "no wrong front door" promise, which must stay at zero).
/// </summary>
public static class ViewFiguresEndpoint
{
    public static IEndpointRouteBuilder MapViewFigures(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/figures", HandleAsync)
            .RequireAuthorization(Policies.Manager)
            .WithName("ViewFigures")
            .WithTags("Figures")
            .Produces<FiguresResponse>();
        return app;
    }

    /// <summary>The figures the endpoint, the wall's snapshot and its pushes show.</summary>
    public static async Task<FiguresResponse> ReadAsync(StoreConnection store, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await ReadCountedAsync(store, now, cancellationToken).ConfigureAwait(false)).Figures;

    /// <summary>
    /// The figures, and the position up to which the day's activity in them has been counted by the daemon: the
    /// wall is pushed again until that reaches the change it was pushed for.
    /// </summary>
    /// <remarks>
    /// The head is read before a connection is taken for the figures: a caller holding one pooled connection while
    /// waiting for another is how a burst of walls joining at once starved the pool until every one of them timed out.
    /// </remarks>
    public static async Task<(FiguresResponse Figures, long DayCountedUpTo)> ReadCountedAsync(StoreConnection store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var position = await store.Events.ReadHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadAsync(connection, position, now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The position up to which Marten's daemon has counted the day's activity.</summary>
    public static async Task<long> ReadDayCountedUpToAsync(StoreConnection store, CancellationToken cancellationToken)
    {
        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadDayCountedUpToAsync(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task<long> ReadDayCountedUpToAsync(DbConnection connection, CancellationToken cancellationToken) =>
        AsyncProjection.ProjectedUpToAsync(connection, DayActivityProjection.ShardName, cancellationToken);

    private static async Task<(FiguresResponse, long)> ReadAsync(DbConnection connection, long position, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Read first: counts written after it only make the day's figures newer than it says.
        var dayCountedUpTo = await ReadDayCountedUpToAsync(connection, cancellationToken).ConfigureAwait(false);
        var (services, withoutOwner) = await ReadWorkAsync(connection, cancellationToken).ConfigureAwait(false);
        var returned = await Sql.ScalarAsync(connection, null, $"SELECT COUNT(*) FROM rm_referrals WHERE {WorkLists.Returned}", cancellationToken).ConfigureAwait(false);
        var unclaimedUrgent = await Sql.ScalarAsync(connection, null, $"SELECT COUNT(*) FROM rm_referrals WHERE status IN {QueueRows.OpenStatuses} AND {WorkLists.UnclaimedUrgent}", cancellationToken).ConfigureAwait(false);
        var followUpsDue = await Sql.ScalarAsync(
            connection,
            null,
            "SELECT COUNT(*) FROM rm_contacts WHERE follow_up_state = 'scheduled' AND status <> 'closed' AND follow_up_due_at_ms <= @now",
            cancellationToken,
            ("now", now.ToUnixMs())).ConfigureAwait(false);

        var today = await Sql.QueryAsync(
            connection,
            null,
            $"SELECT kind, key, count(*) FROM {DayActivityProjection.Table} WHERE day = @day GROUP BY kind, key",
            r => (Kind: r.GetString(0), Key: r.GetString(1), Count: (int)r.GetInt64(2)),
            cancellationToken,
            ("day", DayActivityProjection.DayOf(now))).ConfigureAwait(false);
        var byChannel = CountsOf(today, DayActivityProjection.Kinds.ContactsByChannel);
        var bySite = CountsOf(today, DayActivityProjection.Kinds.ContactsBySite);

        var figures = new FiguresResponse(
            now,
            position,
            services,
            services.Sum(s => s.Overdue),
            (int)returned,
            (int)followUpsDue,
            (int)withoutOwner,
            byChannel.Sum(c => c.Count),
            byChannel,
            bySite,
            ByHour(today, DayActivityProjection.Kinds.ContactsByHour),
            ByHour(today, DayActivityProjection.Kinds.ReferralsByHour),
            (int)unclaimedUrgent);
        return (figures, dayCountedUpTo);
    }

    /// <summary>
    /// The work as it stands, from the rows the queues read: open referrals per service (every service, in the
    /// vocabulary's order) and open contacts nobody owns. The wall and the metrics both read it here.
    /// </summary>
    public static async Task<(IReadOnlyList<ServiceFigures> Services, long WithoutOwner)> ReadWorkAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var perService = await Sql.QueryAsync(
            connection,
            null,
            """
            SELECT service,
                   COUNT(*),
                   SUM(CASE WHEN status = 'raised' THEN 1 ELSE 0 END),
                   SUM(overdue),
                   MIN(CASE WHEN status = 'raised' THEN raised_at_ms END)
            FROM rm_referrals
            WHERE status IN ('raised', 'claimed', 'accepted')
            GROUP BY service
            """,
            r => new ServiceFigures(r.GetString(0), (int)r.GetInt64(1), (int)r.GetInt64(2), (int)r.GetInt64(3), r.IsDBNull(4) ? null : Sql.FromUnixMs(r.GetInt64(4))),
            cancellationToken).ConfigureAwait(false);
        var services = Vocabulary.Services
            .Select(s => perService.FirstOrDefault(f => f.Service == s) ?? new ServiceFigures(s, 0, 0, 0, null))
            .ToList();
        var withoutOwner = await Sql.ScalarAsync(connection, null, $"SELECT COUNT(*) FROM rm_contacts WHERE {WorkLists.Unowned}", cancellationToken).ConfigureAwait(false);
        return (services, withoutOwner);
    }

    private static List<CountBy> CountsOf(List<(string Kind, string Key, int Count)> today, string kind) =>
        today.Where(c => c.Kind == kind).OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new CountBy(c.Key, c.Count)).ToList();

    /// <summary>Counts per hour of the council's day (the local hour, so the clock change is honoured).</summary>
    private static int[] ByHour(List<(string Kind, string Key, int Count)> today, string kind)
    {
        var hours = new int[24];
        foreach (var (_, hour, count) in today.Where(c => c.Kind == kind))
        {
            hours[int.Parse(hour, System.Globalization.CultureInfo.InvariantCulture)] += count;
        }

        return hours;
    }

    private static async Task<IResult> HandleAsync(StoreConnection store, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ReadAsync(store, time.GetUtcNow(), cancellationToken).ConfigureAwait(false));
}
