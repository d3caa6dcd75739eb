using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FrontDoor.Server.Infrastructure.Security;

/// <summary>
/// The embedded default's own token issuer: a signing key generated once and kept in the data folder (so tokens
/// survive restarts), and demo users for each role. It exists only in Development mode.
/// </summary>
public sealed class DevelopmentTokens
{
    public const string Issuer = "frontdoor-development";
    public const string Audience = "frontdoor";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly TimeProvider _time;

    private DevelopmentTokens(SymmetricSecurityKey key, TimeProvider time)
    {
        Key = key;
        _time = time;
    }

    public SymmetricSecurityKey Key { get; }

    public static DevelopmentTokens LoadOrCreate(string folder, TimeProvider time)
    {
        // The key signs every demo token, and the folder is the store's too: both are the owner's alone from the
        // moment they exist (a mode set after writing leaves a moment in which others may read the key).
        var creation = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            creation.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var path = Path.Combine(folder, "development-signing.key");
        byte[] key;
        try
        {
            key = RandomNumberGenerator.GetBytes(32);
            using (var file = new FileStream(path, creation))
            {
                file.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            // Made before (or by another process starting alongside): keep using it, so issued tokens stay valid.
            key = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        return new DevelopmentTokens(new SymmetricSecurityKey(key) { KeyId = "development" }, time);
    }

    public string Issue(DemoUser user)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new List<Claim>
        {
            new("sub", user.Id),
            new("name", user.Name),
            new("role", user.Role),
        };
        if (user.Service is not null)
        {
            claims.Add(new Claim("service", user.Service));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }
}

public sealed record DemoUser(string Id, string Name, string Role, string? Service)
{
    public const int MaxDesk = 999;

    /// <summary>
    /// The demo user for a role; a desk number makes one of many people in that role (a contact centre has many
    /// agents, each with their own identity, audit trail and rate limit).
    /// </summary>
    public static DemoUser For(string role, string? service, int? desk = null)
    {
        var user = role switch
        {
            Roles.Agent => new DemoUser("demo-agent", "Alex Agent", Roles.Agent, null),
            Roles.Worker => new DemoUser($"demo-worker-{service}", $"Wren Worker ({service})", Roles.Worker, service),
            Roles.Manager => new DemoUser("demo-manager", "Morgan Manager", Roles.Manager, null),
            Roles.Admin => new DemoUser("demo-admin", "Ash Admin", Roles.Admin, null),
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
        };
        return desk is { } number
            ? user with { Id = string.Create(CultureInfo.InvariantCulture, $"{user.Id}-desk-{number}"), Name = string.Create(CultureInfo.InvariantCulture, $"{user.Name}, desk {number}") }
            : user;
    }
}
