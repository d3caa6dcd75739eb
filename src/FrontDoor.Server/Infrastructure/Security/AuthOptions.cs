namespace FrontDoor.Server.Infrastructure.Security;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const string DevelopmentMode = "Development";
    public const string JwtMode = "Jwt";

    /// <summary>
    /// <c>Jwt</c> (the council's identity provider) or <c>Development</c> (built-in demo sign-in). No default: the
    /// demo sign-in hands anyone any role, so it must be asked for, and only the Development environment may ask.
    /// </summary>
    public string? Mode { get; set; }

    /// <summary>The longest a token may be valid for, however its issuer set it: a stolen token is worth hours, not weeks.</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    public JwtSettings Jwt { get; set; } = new();

    /// <summary>Names of the token claims FrontDoor reads; identity providers differ.</summary>
    public ClaimNames Claims { get; set; } = new();

    public bool IsDevelopment => string.Equals(Mode, DevelopmentMode, StringComparison.OrdinalIgnoreCase);

    public bool IsJwt => string.Equals(Mode, JwtMode, StringComparison.OrdinalIgnoreCase);

    public sealed class JwtSettings
    {
        /// <summary>OpenID Connect authority; its discovery document supplies issuer and signing keys.</summary>
        public string? Authority { get; set; }

        public string? Issuer { get; set; }

        public string? Audience { get; set; }

        /// <summary>Symmetric keys (base64) or RSA public keys (PEM), when no authority is used.</summary>
        public List<string> SigningKeys { get; set; } = [];

        public bool RequireHttpsMetadata { get; set; } = true;

        public bool IsConfigured =>
            !string.IsNullOrWhiteSpace(Audience)
            && (!string.IsNullOrWhiteSpace(Authority) || (!string.IsNullOrWhiteSpace(Issuer) && SigningKeys.Count > 0));
    }

    public sealed class ClaimNames
    {
        public string Role { get; set; } = "role";

        public string Service { get; set; } = "service";

        public string Name { get; set; } = "name";
    }
}
