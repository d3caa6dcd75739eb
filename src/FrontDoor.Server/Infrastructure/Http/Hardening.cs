using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace FrontDoor.Server.Infrastructure.Http;

/// <summary>The <c>RateLimits</c> configuration section.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>API requests one signed-in user (or, before sign-in, one address) may make per minute.</summary>
    public int PerUserPerMinute { get; set; } = 600;

    /// <summary>Submissions of the public contact form one address may make per window.</summary>
    public int PublicFormPermits { get; set; } = 5;

    public TimeSpan PublicFormWindow { get; set; } = TimeSpan.FromMinutes(10);
}

public static class Hardening
{
    public const string PublicFormPolicy = "public-form";

    /// <summary>
    /// No inline script or style anywhere: pages load their code from files, so a stored string that slipped past
    /// escaping still could not run.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddHardening(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"Try again in {Math.Ceiling(retryAfter.TotalSeconds)} seconds.",
                    },
                }).ConfigureAwait(false);
            };

            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        http.User.Identity?.IsAuthenticated == true ? "user:" + http.Actor() : "address:" + AddressOf(http),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PerUserPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("unlimited"));

            options.AddPolicy(PublicFormPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                "address:" + AddressOf(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PublicFormPermits, Window = limits.PublicFormWindow, QueueLimit = 0 }));
        });
        return services;
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        await next(context).ConfigureAwait(false);
    });

    private static string AddressOf(HttpContext http) => (http.Connection.RemoteIpAddress ?? IPAddress.None).ToString();
}
