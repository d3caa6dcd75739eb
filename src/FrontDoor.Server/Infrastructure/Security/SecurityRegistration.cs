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
        if (!options.IsDevelopment && !options.IsJwt)
        {
            throw new InvalidOperationException($"Auth:Mode '{options.Mode}' is not known; use {AuthOptions.DevelopmentMode} or {AuthOptions.JwtMode}.");
        }

        if (environment.IsProduction() && !(options.IsJwt && options.Jwt.IsConfigured))
        {
            throw new InvalidOperationException(
                "FrontDoor will not start in Production without the council's identity provider: set Auth:Mode=Jwt with " +
                "Auth:Jwt:Audience and either Auth:Jwt:Authority or Auth:Jwt:Issuer with Auth:Jwt:SigningKeys.");
        }

        if (options.IsJwt && !options.Jwt.IsConfigured)
        {
            throw new InvalidOperationException("Auth:Mode is Jwt but Auth:Jwt is incomplete: Audience and Authority (or Issuer with SigningKeys) are required.");
        }

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
                OnTokenValidated = context => Admit(context, serviceClaim),
            };
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.Agent, p => p.RequireRole(Roles.Agent))
            .AddPolicy(Policies.AgentOrManager, p => p.RequireRole(Roles.Agent, Roles.Manager))
            .AddPolicy(Policies.Caseworker, p => p.RequireRole(Roles.Agent, Roles.Worker, Roles.Manager))
            .AddPolicy(Policies.ReferralActor, p => p.RequireRole(Roles.Agent, Roles.Worker))
            .AddPolicy(Policies.Manager, p => p.RequireRole(Roles.Manager))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Operator, p => p.RequireRole(Roles.Manager, Roles.Admin));
        return services;
    }

    /// <summary>
    /// A token is only as good as what FrontDoor can make of it: a known role, and for a worker a known service,
    /// copied to FrontDoor's own claim so nothing downstream depends on the provider's claim names.
    /// </summary>
    private static Task Admit(TokenValidatedContext context, string serviceClaim)
    {
        var user = context.Principal!;
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

        return Task.CompletedTask;
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
