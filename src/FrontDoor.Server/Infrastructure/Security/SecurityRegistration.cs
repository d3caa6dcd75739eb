using System.Security.Claims;
using System.Security.Cryptography;
using FrontDoor.Domain;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;

namespace FrontDoor.Server.Infrastructure.Security;

public static class SecurityRegistration
{
    /// <summary>
    /// Bearer tokens everywhere (pages keep theirs in session storage and send it as a header), so there are no
    /// cookie-authenticated form posts for cross-site requests to forge. Deny by default: an endpoint without a
    /// policy needs a signed-in user, and every endpoint names its policy anyway.
    /// </summary>
    public static IServiceCollection AddFrontDoorSecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        RefuseUnsafeConfiguration(options, environment);
        services.AddSingleton(options);
        DevelopmentTokens? development = null;
        if (options.IsDevelopment)
        {
            var dataFolder = Path.Combine(environment.ContentRootPath, configuration["Store:DataFolder"] ?? "data");
            development = DevelopmentTokens.LoadOrCreate(dataFolder, TimeProvider.System);
            services.AddSingleton(development);
        }

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                ValidateIssuerSigningKey = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromMinutes(1),
                NameClaimType = development is null ? options.Claims.Name : "name",
                RoleClaimType = development is null ? options.Claims.Role : "role",
            };

            if (development is not null)
            {
                jwt.TokenValidationParameters.ValidIssuer = DevelopmentTokens.Issuer;
                jwt.TokenValidationParameters.ValidAudience = DevelopmentTokens.Audience;
                jwt.TokenValidationParameters.IssuerSigningKey = development.Key;
            }
            else
            {
                jwt.TokenValidationParameters.ValidAudience = options.Jwt.Audience;
                if (!string.IsNullOrWhiteSpace(options.Jwt.Authority))
                {
                    jwt.Authority = options.Jwt.Authority;
                    jwt.RequireHttpsMetadata = options.Jwt.RequireHttpsMetadata;
                }
                else
                {
                    jwt.TokenValidationParameters.ValidIssuer = options.Jwt.Issuer;
                    jwt.TokenValidationParameters.IssuerSigningKeys = options.Jwt.SigningKeys.Select(ParseKey).ToList();
                }
            }

            var serviceClaim = development is null ? options.Claims.Service : "service";
            jwt.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on a WebSocket, so the hub accepts the token in the query string.
                OnMessageReceived = context =>
                {
                    var token = context.Request.Query["access_token"].ToString();
                    if (token.Length > 0 && context.HttpContext.Request.Path.StartsWithSegments("/hubs", StringComparison.Ordinal))
                    {
                        context.Token = token;
                    }

                    return Task.CompletedTask;
                },
                OnTokenValidated = context => Admit(context, serviceClaim, options.MaxTokenLifetime),
            };
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.Agent, p => p.RequireRole(Roles.Agent))
            .AddPolicy(Policies.AgentOrManager, p => p.RequireRole(Roles.Agent, Roles.Manager))
            .AddPolicy(Policies.Caseworker, p => p.RequireRole(Roles.Agent, Roles.Worker, Roles.Manager))
            .AddPolicy(Policies.Manager, p => p.RequireRole(Roles.Manager))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Operator, p => p.RequireRole(Roles.Manager, Roles.Admin));
        return services;
    }

    /// <summary>
    /// Start-up refuses any configuration in which a stranger could sign themselves in: the demo issuer outside the
    /// Development environment (Staging, UAT and the like are reachable by more than the developer), or no identity
    /// provider at all. Each message names the setting to change.
    /// </summary>
    public static void RefuseUnsafeConfiguration(AuthOptions options, IHostEnvironment environment)
    {
        var identityProvider =
            "set Auth:Mode=Jwt with Auth:Jwt:Audience and either Auth:Jwt:Authority or Auth:Jwt:Issuer with Auth:Jwt:SigningKeys";
        if (string.IsNullOrWhiteSpace(options.Mode))
        {
            throw new InvalidOperationException(
                $"Auth:Mode is not set, so FrontDoor has no identity provider to sign anyone in with: {identityProvider}" +
                (environment.IsDevelopment() ? $", or Auth:Mode={AuthOptions.DevelopmentMode} for the demo sign-in." : "."));
        }

        if (!options.IsDevelopment && !options.IsJwt)
        {
            throw new InvalidOperationException($"Auth:Mode '{options.Mode}' is not known; use {AuthOptions.JwtMode} (or {AuthOptions.DevelopmentMode} in the Development environment).");
        }

        if (options.IsDevelopment && !environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Auth:Mode={AuthOptions.DevelopmentMode} (the demo sign-in, which hands out any role) is refused in the " +
                $"'{environment.EnvironmentName}' environment; it exists only when ASPNETCORE_ENVIRONMENT is Development. Instead {identityProvider}.");
        }

        if (options.IsJwt && !options.Jwt.IsConfigured)
        {
            throw new InvalidOperationException($"Auth:Mode is Jwt but Auth:Jwt is incomplete: {identityProvider}.");
        }

        if (options.MaxTokenLifetime <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Auth:MaxTokenLifetime must be a positive time span, such as 12:00:00.");
        }
    }

    /// <summary>
    /// A token is only as good as what FrontDoor can make of it: a known role, and for a worker a known service,
    /// copied to FrontDoor's own claim so nothing downstream depends on the provider's claim names. FrontDoor's own
    /// claim names are stripped from the token first: they are FrontDoor's to set, never the token's to assert.
    /// </summary>
    private static Task Admit(TokenValidatedContext context, string serviceClaim, TimeSpan maxLifetime)
    {
        var user = context.Principal!;
        foreach (var identity in user.Identities)
        {
            foreach (var claim in identity.Claims.Where(c => c.Type.StartsWith(StaffPrincipal.ClaimPrefix, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                identity.RemoveClaim(claim);
            }
        }

        if (context.SecurityToken is { } token)
        {
            // Measured from when it became valid, and from now (for a token that does not say when it was issued).
            var validFrom = token.ValidFrom == DateTime.MinValue ? DateTime.UtcNow : token.ValidFrom;
            if (token.ValidTo - validFrom > maxLifetime || token.ValidTo - DateTime.UtcNow > maxLifetime)
            {
                context.Fail($"The token is valid for longer than FrontDoor accepts ({maxLifetime}).");
                return Task.CompletedTask;
            }
        }

        var roles = Roles.All.Where(user.IsInRole).ToList();
        if (roles.Count == 0)
        {
            context.Fail("The token carries no FrontDoor role.");
            return Task.CompletedTask;
        }

        if (roles.Contains(Roles.Worker))
        {
            var service = user.FindFirst(serviceClaim)?.Value;
            if (!Vocabulary.IsKnownService(service))
            {
                context.Fail("A worker's token must name the service they work for.");
                return Task.CompletedTask;
            }

            ((ClaimsIdentity)user.Identity!).AddClaim(new Claim(StaffPrincipal.ServiceClaim, service!));
        }

        // An operator's health probe is not someone using FrontDoor, and must answer while the database is away.
        return !context.HttpContext.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)
            && context.HttpContext.RequestServices.GetService<IStaffDirectory>() is { } directory
            ? directory.NoteSignInAsync(user, context.HttpContext.RequestAborted).AsTask()
            : Task.CompletedTask;
    }

    private static SecurityKey ParseKey(string text)
    {
        if (text.Contains("BEGIN", StringComparison.Ordinal))
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(text);
            return new RsaSecurityKey(rsa);
        }

        return new SymmetricSecurityKey(Convert.FromBase64String(text));
    }
}
