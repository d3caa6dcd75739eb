using System.Collections.Concurrent;

namespace FrontDoor.Server.Infrastructure.Http;

/// <summary>
/// How many messages the public form takes from one internet address in a window, counted per message sent, not per
/// attempt: a library's or a welcoming space's shared wifi puts many residents behind one address, and a resident
/// correcting a mistake on the form must not use up the allowance of the next person at the same desk. The request
/// limiter in front (<see cref="Hardening.PublicFormPolicy"/>) still stops a flood of posts of any kind.
/// </summary>
/// <remarks>
/// Counted in memory on each node: a few messages over the allowance can get through when two nodes (or two
/// simultaneous sends) share an address; the allowance is a brake on abuse, not a quota anyone is owed.
/// </remarks>
public sealed class PublicFormAllowance(RateLimitOptions limits, TimeProvider time)
{
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    private sealed record Window(DateTimeOffset Start, int Sent);

    /// <summary>Whether a message from <paramref name="address"/> may be sent now, and if not, how long until it may.</summary>
    public bool MaySend(string address, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        retryAfter = TimeSpan.Zero;
        if (!_windows.TryGetValue(address, out var window) || now - window.Start >= limits.PublicFormWindow || window.Sent < limits.PublicFormPermits)
        {
            return true;
        }

        retryAfter = window.Start + limits.PublicFormWindow - now;
        return false;
    }

    /// <summary>A wait as the <c>Retry-After</c> header says it: whole seconds, at least one.</summary>
    public static string RetryAfter(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Counts a message sent from <paramref name="address"/>.</summary>
    public void Sent(string address)
    {
        var now = time.GetUtcNow();
        _windows.AddOrUpdate(address, _ => new Window(now, 1), (_, window) => now - window.Start >= limits.PublicFormWindow ? new Window(now, 1) : window with { Sent = window.Sent + 1 });
        if (_windows.Count > PruneAbove)
        {
            foreach (var (key, window) in _windows)
            {
                if (now - window.Start >= limits.PublicFormWindow)
                {
                    _windows.TryRemove(key, out _);
                }
            }
        }
    }
}
