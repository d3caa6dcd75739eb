using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;

namespace FrontDoor.Server.Infrastructure.Http;

/// <summary>The <c>RateLimits</c> configuration section.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>API requests one signed-in user (or, before sign-in, one address) may make per minute.</summary>
    public int PerUserPerMinute { get; set; } = 600;

    /// <summary>
    /// Messages the public contact form takes from one address per window, counted per message sent (a shared wifi
    /// at a library puts many residents behind one address; see <see cref="PublicFormAllowance"/>).
    /// </summary>
    public int PublicFormPermits { get; set; } = 30;

    public TimeSpan PublicFormWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Posts of any kind to the public form one address may make per window: the flood guard in front.</summary>
    public int PublicFormRequests { get; set; } = 200;

    /// <summary>Checks of a request's progress one address may make per window, right or wrong.</summary>
    public int PublicChecks { get; set; } = 20;
}

/// <summary>
/// The <c>Https</c> and <c>ForwardedHeaders</c> configuration sections: how FrontDoor keeps browsers on HTTPS,
/// and which proxies in front of it may say what the original request was.
/// </summary>
public sealed class TransportOptions
{
    /// <summary>
    /// Redirect plain http to https and send HSTS. Unset, it follows the environment: on in Production, off
    /// elsewhere (developers and the test and benchmark hosts speak plain http on loopback).
    /// </summary>
    public bool? Enforce { get; set; }

    /// <summary>The public https port redirects point at (<c>https_port</c>, ASP.NET Core's own setting, also counts).</summary>
    public int Port { get; set; } = 443;

    /// <summary>Addresses of the proxies or load balancers whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed, besides loopback.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, like <c>10.0.0.0/24</c>) whose forwarded headers are believed.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

public static class Hardening
{
    public const string PublicFormPolicy = "public-form";

    /// <summary>"Check your request": every attempt counts, so a reference cannot be paired with guesses.</summary>
    public const string PublicCheckPolicy = "public-check";

    /// <summary>
    /// No inline script or style anywhere: pages load their code from files, so a stored string that slipped past
    /// escaping still could not run.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Paths whose answers may name a resident: nothing between here and the reader keeps a copy.</summary>
    private static readonly string[] PersonalPaths = ["/api", "/contact-us", "/hubs"];

    public static IServiceCollection AddHardening(this IServiceCollection services, IConfiguration configuration)
    {
        var transport = new TransportOptions { Port = configuration.GetValue<int?>("https_port") ?? 443 };
        configuration.GetSection("Https").Bind(transport);
        transport.KnownProxies = configuration.GetSection("ForwardedHeaders:KnownProxies").Get<List<string>>() ?? [];
        transport.KnownNetworks = configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<List<string>>() ?? [];
        services.AddSingleton(transport);
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        services.AddHttpsRedirection(options =>
        {
            options.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
            options.HttpsPort = transport.Port;
        });
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Only the scheme and the client's address: the Host header is the browser's own and passes proxies as is.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = 1;
            foreach (var proxy in transport.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in transport.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddSingleton(limits);
        services.AddSingleton<PublicFormAllowance>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = PublicFormAllowance.RetryAfter(retryAfter);
                // A resident's browser gets a page, never raw JSON.
                if (context.HttpContext.Request.Path.StartsWithSegments("/contact-us", StringComparison.Ordinal))
                {
                    context.HttpContext.Response.ContentType = "text/html; charset=utf-8";
                    await context.HttpContext.Response.WriteAsync(Pages.Layout.ForResidents("Please wait – Contact the council", $"""
                        <main class="govuk-main-wrapper" id="main-content">
                          <h1 class="govuk-heading-l">Please wait before sending again</h1>
                          <p class="govuk-body">A lot of messages have been sent from this internet connection. Please try again in {Math.Ceiling(retryAfter.TotalMinutes)} minute(s).</p>
                          <p class="govuk-body">If you or someone else is in danger, call 999.</p>
                        </main>
                        """), cancellationToken).ConfigureAwait(false);
                    return;
                }

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
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PublicFormRequests, Window = limits.PublicFormWindow, QueueLimit = 0 }));
            options.AddPolicy(PublicCheckPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                "check:" + AddressOf(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PublicChecks, Window = limits.PublicFormWindow, QueueLimit = 0 }));
        });
        return services;
    }

    /// <summary>
    /// Where HTTPS is enforced: believe the scheme and address a known proxy forwarded (so TLS ending at the proxy
    /// neither loops redirects nor puts every resident behind one rate-limit address), send HSTS, and redirect plain
    /// http to https — except health, which load balancers probe on the node itself over plain http.
    /// </summary>
    public static WebApplication UseTransportSecurity(this WebApplication app)
    {
        var transport = app.Services.GetRequiredService<TransportOptions>();
        if (!(transport.Enforce ?? app.Environment.IsProduction()))
        {
            return app;
        }

        app.UseForwardedHeaders();
        app.UseHsts();
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal), branch => branch.UseHttpsRedirection());
        return app;
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            if (PersonalPaths.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase)))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // A page may choose a narrower exception (same-origin keeps the Origin of its own form posts).
            if (!headers.ContainsKey("Referrer-Policy"))
            {
                headers["Referrer-Policy"] = "no-referrer";
            }

            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        await next(context).ConfigureAwait(false);
    });

    public static string AddressOf(HttpContext http) => (http.Connection.RemoteIpAddress ?? IPAddress.None).ToString();
}
