using System.Data.Common;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

using FrontDoor.Server.ReadModels;

namespace FrontDoor.Server.Figures.ViewingFigures;

/// <summary>
/// <c>GET /api/figures</c>: what a manager watches — queue depth and oldest unclaimed work per service, overdue
/// referrals, returns, check-backs due, today's contacts by channel and site, and contacts without an owner
/// (the "no wrong front door" promise, which must stay at zero).
/// </summary>
public static class ViewFiguresEndpoint
{
    private static readonly TimeZoneInfo CouncilTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static IEndpointRouteBuilder MapViewFigures(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/figures", HandleAsync)
            .RequireAuthorization(Policies.Manager)
            .WithName("ViewFigures")
            .WithTags("Figures")
            .Produces<FiguresResponse>();
        return app;
    }

    /// <summary>
    /// The head is read before a connection is taken for the figures: a caller holding one pooled connection while
    /// waiting for another is how a burst of walls joining at once starved the pool until every one of them timed out.
    /// </summary>
    public static async Task<FiguresResponse> ReadAsync(StoreConnection store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var position = await store.Events.ReadHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ReadAsync(connection, position, now, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<FiguresResponse> ReadAsync(DbConnection connection, long position, DateTimeOffset now, CancellationToken cancellationToken)
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

        var local = TimeZoneInfo.ConvertTime(now, CouncilTime);
        var startOfDay = new DateTimeOffset(local.Date, local.Offset).ToUnixMs();
        var returned = await Sql.ScalarAsync(connection, null, "SELECT COUNT(*) FROM rm_referrals WHERE status = 'returned'", cancellationToken).ConfigureAwait(false);
        var followUpsDue = await Sql.ScalarAsync(
            connection,
            null,
            "SELECT COUNT(*) FROM rm_contacts WHERE follow_up_state = 'scheduled' AND status <> 'closed' AND follow_up_due_at_ms <= @now",
            cancellationToken,
            ("now", now.ToUnixMs())).ConfigureAwait(false);
        var withoutOwner = await Sql.ScalarAsync(connection, null, "SELECT COUNT(*) FROM rm_contacts WHERE has_owner = 0 AND status <> 'closed'", cancellationToken).ConfigureAwait(false);
        var byChannel = await CountTodayAsync(connection, "channel", startOfDay, cancellationToken).ConfigureAwait(false);
        var bySite = await CountTodayAsync(connection, "site_id", startOfDay, cancellationToken).ConfigureAwait(false);

        var contactsByHour = await ByHourAsync(connection, "SELECT received_at_ms FROM rm_contacts WHERE received_at_ms >= @start", startOfDay, cancellationToken).ConfigureAwait(false);
        var referralsByHour = await ByHourAsync(connection, "SELECT raised_at_ms FROM rm_referrals WHERE raised_at_ms >= @start", startOfDay, cancellationToken).ConfigureAwait(false);

        return new FiguresResponse(
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
            contactsByHour,
            referralsByHour);
    }

    /// <summary>Counts per hour of the council's day; the hour is the local one, so the clock change is honoured.</summary>
    private static async Task<int[]> ByHourAsync(DbConnection connection, string sql, long startOfDay, CancellationToken cancellationToken)
    {
        var hours = new int[24];
        var times = await Sql.QueryAsync(connection, null, sql, r => r.GetInt64(0), cancellationToken, ("start", startOfDay)).ConfigureAwait(false);
        foreach (var ms in times)
        {
            hours[TimeZoneInfo.ConvertTime(Sql.FromUnixMs(ms), CouncilTime).Hour]++;
        }

        return hours;
    }

    private static Task<List<CountBy>> CountTodayAsync(DbConnection connection, string column, long startOfDay, CancellationToken cancellationToken) =>
        Sql.QueryAsync(
            connection,
            null,
            $"SELECT {column}, COUNT(*) FROM rm_contacts WHERE received_at_ms >= @start AND {column} IS NOT NULL GROUP BY {column} ORDER BY {column}",
            r => new CountBy(r.GetString(0), (int)r.GetInt64(1)),
            cancellationToken,
            ("start", startOfDay));

    private static async Task<IResult> HandleAsync(StoreConnection store, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ReadAsync(store, time.GetUtcNow(), cancellationToken).ConfigureAwait(false));
}
