using System.Diagnostics;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Infrastructure.Http;

public static class RequestContext
{
    /// <summary>
    /// Who is acting: a signed-in user's stable subject id (display names change and are not unique), else their
    /// name; anything else is recorded as anonymous.
    /// </summary>
    public static string Actor(this HttpContext context) => context.User.Actor();

    /// <summary>The same for a principal outside a request (a hub connection's user).</summary>
    public static string Actor(this System.Security.Claims.ClaimsPrincipal? user) =>
        user?.Identity is not { IsAuthenticated: true } ? "anonymous"
        : user.FindFirst("sub")?.Value is { Length: > 0 } subject ? subject
        : user.Identity.Name is { Length: > 0 } name ? name
        : "anonymous";

    /// <summary>Metadata for events a request appends: the request's trace is the journey's correlation.</summary>
    public static EventMetadata EventMetadata(this HttpContext context, string? correlationId = null) =>
        new(
            correlationId ?? Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier,
            context.TraceIdentifier,
            context.Actor(),
            Activity.Current?.Id);

    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>
    /// The request's <c>Idempotency-Key</c> (empty when none was sent); a key too long to be one is an error on that
    /// header in <paramref name="errors"/>.
    /// </summary>
    public static string IdempotencyKey(this HttpRequest request, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var key = request.Headers["Idempotency-Key"].ToString();
        if (key.Length > MaxIdempotencyKeyLength)
        {
            errors["Idempotency-Key"] = [$"An idempotency key is at most {MaxIdempotencyKeyLength} characters."];
        }

        return key;
    }

    /// <summary>The version in an <c>If-Match</c> header (<c>"3"</c> or <c>W/"3"</c>); null when absent, -1 when unreadable.</summary>
    public static long? IfMatchVersion(this HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var value = header.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        value = value.Trim('"');
        return long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : -1;
    }

    public static string ETag(long version) => $"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";
}
