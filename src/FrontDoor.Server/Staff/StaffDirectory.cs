using System.Collections.Concurrent;
using System.Security.Claims;
using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Staff;

/// <summary>A member of staff as last seen signing in: their FrontDoor role and, for a worker, their service.</summary>
public sealed record StaffMember(string UserId, string Name, string Role, string? Service, DateTimeOffset LastSeenAt);

/// <summary>
/// Who works here, learnt from sign-ins: the council's identity provider is the source of people and roles, and a
/// colleague appears here once they have signed in to FrontDoor. Work is assigned only to people in it, and events'
/// actor ids are shown by name through it.
/// </summary>
public sealed partial class StaffDirectory : IStaffDirectory
{
    public const string Module = "staff";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } =
    [
        (1, "members of staff, as they signed in", """
            CREATE TABLE staff_members (
                user_id          TEXT   NOT NULL PRIMARY KEY,
                name             TEXT   NOT NULL,
                role             TEXT   NOT NULL,
                service          TEXT   NULL,
                last_seen_at_ms  BIGINT NOT NULL
            );
            CREATE INDEX staff_members_service ON staff_members (service, role);
            """),
    ];

    /// <summary>How long a name read from the table is trusted before it is read again (someone renamed on another node).</summary>
    private static readonly TimeSpan NameLifetime = TimeSpan.FromMinutes(5);

    /// <summary>A sign-in is written when who someone is changes, and otherwise at most this often, to keep "last seen" useful.</summary>
    private static readonly TimeSpan SeenResolution = TimeSpan.FromHours(1);

    /// <summary>The longest a request waits for its sign-in to be written before it goes on without.</summary>
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(2);

    private readonly StoreConnection _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, StaffMember> _signedIn = new(StringComparer.Ordinal);
    // Actors with no name (the router, the clock, someone who never signed in) are remembered as such too, so a view
    // full of system actors does not ask the database about them on every read.
    private readonly ConcurrentDictionary<string, (string? Name, DateTimeOffset ReadAt)> _names = new(StringComparer.Ordinal);

    public StaffDirectory(StoreConnection store, TimeProvider time, ILogger<StaffDirectory>? logger = null)
    {
        _store = store;
        _time = time;
        _logger = logger ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>A member's FrontDoor role, the one they act in when a token carries several.</summary>
    public static string PrimaryRole(ClaimsPrincipal user) => Roles.All.FirstOrDefault(user.IsInRole) ?? string.Empty;

    public async ValueTask NoteSignInAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var id = user.Actor();
        if (id == "anonymous")
        {
            return;
        }

        var now = _time.GetUtcNow();
        var member = new StaffMember(id, user.Identity?.Name is { Length: > 0 } name ? name : id, PrimaryRole(user), user.Service(), now);
        if (_signedIn.TryGetValue(id, out var known) && known with { LastSeenAt = now } == member && now - known.LastSeenAt < SeenResolution)
        {
            return;
        }

        // Who signed in serves names and assignment; it must never hold a request up or take it down with it (an
        // operator asks for the readiness report precisely while the database is away). Not written, it is tried
        // again on the member's next request.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(WriteTimeout);
        try
        {
            await WriteAsync(member, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is System.Data.Common.DbException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            LogSignInNotRecorded(_logger, e.GetType().Name);
            return;
        }

        _signedIn[id] = member;
        _names[id] = (member.Name, now);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sign-in was not recorded in the staff directory ({Error}); it is tried again on the next request.")]
    private static partial void LogSignInNotRecorded(ILogger logger, string error);

    private async Task WriteAsync(StaffMember member, CancellationToken cancellationToken)
    {
        var connection = await _store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await Sql.ExecuteAsync(
                connection,
                null,
                """
                INSERT INTO staff_members (user_id, name, role, service, last_seen_at_ms) VALUES (@id, @name, @role, @service, @seen)
                ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, role = excluded.role, service = excluded.service,
                    last_seen_at_ms = GREATEST(staff_members.last_seen_at_ms, excluded.last_seen_at_ms)
                """,
                cancellationToken,
                ("id", member.UserId),
                ("name", member.Name),
                ("role", member.Role),
                ("service", member.Service),
                ("seen", member.LastSeenAt.ToUnixMs())).ConfigureAwait(false);
        }
    }

    public async ValueTask<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<string> actors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actors);
        var now = _time.GetUtcNow();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var actor in actors.Where(a => !string.IsNullOrEmpty(a)).Distinct(StringComparer.Ordinal))
        {
            if (_names.TryGetValue(actor, out var cached) && now - cached.ReadAt < NameLifetime)
            {
                if (cached.Name is { } name)
                {
                    names[actor] = name;
                }
            }
            else
            {
                unknown.Add(actor);
            }
        }

        if (unknown.Count > 0)
        {
            var connection = await _store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var found = await Sql.QueryAsync(
                    connection,
                    null,
                    "SELECT user_id, name FROM staff_members WHERE user_id = ANY(@ids)",
                    r => (Id: r.GetString(0), Name: r.GetString(1)),
                    cancellationToken,
                    ("ids", unknown.ToArray())).ConfigureAwait(false);
                foreach (var id in unknown)
                {
                    _names[id] = (null, now);
                }

                foreach (var (id, name) in found)
                {
                    names[id] = name;
                    _names[id] = (name, now);
                }
            }
        }

        return names;
    }

    /// <summary>One member by their actor id, or null when they have never signed in.</summary>
    public async Task<StaffMember?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        var found = await QueryAsync("WHERE user_id = @id", cancellationToken, ("id", userId)).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Who works a service's referrals: its workers, or for the front door's own work, the agents.</summary>
    public Task<List<StaffMember>> WorkingForAsync(string service, CancellationToken cancellationToken) =>
        service == ServiceCodes.FrontDoorTriage
            ? QueryAsync("WHERE role = @role ORDER BY name, user_id", cancellationToken, ("role", Roles.Agent))
            : QueryAsync("WHERE role = @role AND service = @service ORDER BY name, user_id", cancellationToken, ("role", Roles.Worker), ("service", service));

    /// <summary>Whether a member of staff works a service's referrals, by the rule for a signed-in user.</summary>
    public static bool WorksFor(StaffMember member, string service) => StaffPrincipal.WorksFor(member.Role, member.Service, service);

    private async Task<List<StaffMember>> QueryAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var connection = await _store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await Sql.QueryAsync(
                connection,
                null,
                "SELECT user_id, name, role, service, last_seen_at_ms FROM staff_members " + where,
                r => new StaffMember(r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), Sql.FromUnixMs(r.GetInt64(4))),
                cancellationToken,
                parameters).ConfigureAwait(false);
        }
    }
}
