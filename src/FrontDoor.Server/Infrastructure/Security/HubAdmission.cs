using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using FrontDoor.Server.Infrastructure.Http;
using Microsoft.AspNetCore.SignalR;

namespace FrontDoor.Server.Infrastructure.Security;

/// <summary>The <c>Live</c> limits on hub connections.</summary>
public sealed class HubLimits
{
    public const string Section = "Live";

    /// <summary>Open hub connections one user may hold (tabs, screens); one more is refused.</summary>
    public int MaxConnectionsPerUser { get; set; } = 20;

    /// <summary>Hub method calls one user may make a minute, across their connections.</summary>
    public int InvocationsPerUserPerMinute { get; set; } = 120;
}

/// <summary>
/// A WebSocket outlives the request that opened it, so the checks a request gets once are repeated here for as long
/// as the connection lasts: the connection closes when its token expires (a worker moved off a team loses the
/// queue when the token that said otherwise runs out), every call re-checks the token's expiry, one user holds a
/// bounded number of connections, and calls are rate-limited per user like the HTTP API.
/// </summary>
public sealed class HubAdmission : IHubFilter, IDisposable
{
    private const string ExpiryTimerKey = "frontdoor:expiry-timer";

    private readonly TimeProvider _time;
    private readonly HubLimits _limits;
    private readonly ConcurrentDictionary<string, int> _connections = new(StringComparer.Ordinal);
    private readonly PartitionedRateLimiter<string> _invocations;

    public HubAdmission(TimeProvider time, HubLimits limits)
    {
        _time = time;
        _limits = limits;
        _invocations = PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.GetFixedWindowLimiter(
            user,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.InvocationsPerUserPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        // A connection refused here never reaches OnDisconnectedAsync, so it gives its place back itself.
        var hub = context.Context;
        var user = hub.User.Actor();
        if (_connections.AddOrUpdate(user, 1, (_, count) => count + 1) > _limits.MaxConnectionsPerUser)
        {
            Release(user);
            throw new HubException($"You already have {_limits.MaxConnectionsPerUser} live connections open; close a tab and try again.");
        }

        try
        {
            if (ExpiresAt(hub.User) is { } expiry)
            {
                var remaining = expiry - _time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    throw new HubException("Your sign-in has expired; sign in again.");
                }

                hub.Items[ExpiryTimerKey] = _time.CreateTimer(static state => ((HubCallerContext)state!).Abort(), hub, remaining, Timeout.InfiniteTimeSpan);
            }

            await next(context).ConfigureAwait(false);
            hub.Items[nameof(HubAdmission)] = user;
        }
        catch
        {
            Forget(hub);
            Release(user);
            throw;
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        var hub = context.Context;
        Forget(hub);
        if (hub.Items.TryGetValue(nameof(HubAdmission), out var user))
        {
            Release((string)user!);
        }

        await next(context, exception).ConfigureAwait(false);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var hub = invocationContext.Context;
        // The expiry timer closes the connection; this refuses anything asked in the moment before it does.
        if (ExpiresAt(hub.User) is { } expiry && expiry <= _time.GetUtcNow())
        {
            throw new HubException("Your sign-in has expired; sign in again.");
        }

        using var lease = _invocations.AttemptAcquire(hub.User.Actor());
        if (!lease.IsAcquired)
        {
            throw new HubException("Too many requests; wait a minute and try again.");
        }

        return await next(invocationContext).ConfigureAwait(false);
    }

    public void Dispose() => _invocations.Dispose();

    private static void Forget(HubCallerContext hub)
    {
        if (hub.Items.TryGetValue(ExpiryTimerKey, out var timer))
        {
            ((ITimer)timer!).Dispose();
        }
    }

    private void Release(string user)
    {
        while (_connections.TryGetValue(user, out var count))
        {
            if (count <= 1 ? _connections.TryRemove(new KeyValuePair<string, int>(user, count)) : _connections.TryUpdate(user, count - 1, count))
            {
                return;
            }
        }
    }

    private static DateTimeOffset? ExpiresAt(ClaimsPrincipal? user) =>
        long.TryParse(user?.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
