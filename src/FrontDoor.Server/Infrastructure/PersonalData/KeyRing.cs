using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FrontDoor.Server.Infrastructure.PersonalData;

/// <summary>One secret of the ring: its id (stored beside what it protects, never the secret) and its 32 bytes.</summary>
public sealed record RingKey(string Id, byte[] Key, DateTimeOffset CreatedAt);

/// <summary>
/// The secrets personal data is protected with, kept outside the database (a file, or an environment secret) so that a
/// copy of the database alone opens nothing:
/// <list type="bullet">
/// <item>key-encryption keys, which wrap each data subject's key; the newest wraps, any of them unwraps, so a new one
/// can be added and the subjects' keys re-wrapped under it before the old one is retired;</item>
/// <item>the identity key, which turns what identifies a resident (name, date of birth, postcode) into their record's
/// id; it is never rotated, since a new one would split every returning resident from their record;</item>
/// <item>the search key, under which the "tell us once" look-up's terms are kept as keyed digests (blind indexes); a
/// new one takes effect as the residents' read model is rebuilt.</item>
/// </list>
/// </summary>
public sealed record KeyRing(IReadOnlyList<RingKey> KeyEncryptionKeys, RingKey IdentityKey, RingKey SearchKey)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public RingKey Current => KeyEncryptionKeys[^1];

    public static KeyRing New(TimeProvider time) => new([NewKey("kek", time)], NewKey("identity", time), NewKey("search", time));

    /// <summary>The ring with a new key-encryption key, which wraps from now on.</summary>
    public KeyRing WithNewKeyEncryptionKey(TimeProvider time) => this with { KeyEncryptionKeys = [.. KeyEncryptionKeys, NewKey("kek", time)] };

    public KeyRing Without(string keyEncryptionKeyId) => this with { KeyEncryptionKeys = KeyEncryptionKeys.Where(k => k.Id != keyEncryptionKeyId).ToList() };

    public RingKey? Find(string keyEncryptionKeyId) => KeyEncryptionKeys.FirstOrDefault(k => k.Id == keyEncryptionKeyId);

    public static KeyRing Parse(string text)
    {
        var stored = JsonSerializer.Deserialize<StoredRing>(text, Json) ?? throw new FormatException("The key ring is empty.");
        if (stored.KeyEncryptionKeys is not { Count: > 0 } keys || stored.IdentityKey is null || stored.SearchKey is null)
        {
            throw new FormatException("A key ring holds at least one key-encryption key, the identity key and the search key.");
        }

        return new KeyRing(keys.Select(ToKey).ToList(), ToKey(stored.IdentityKey), ToKey(stored.SearchKey));

        static RingKey ToKey(StoredKey stored)
        {
            var key = Convert.FromBase64String(stored.Key ?? string.Empty);
            return key.Length == 32 && !string.IsNullOrWhiteSpace(stored.Id) && !stored.Id.Contains(':', StringComparison.Ordinal)
                ? new RingKey(stored.Id, key, stored.CreatedAt)
                : throw new FormatException($"Key '{stored.Id}' of the key ring is not an id without ':' and 32 bytes of base64.");
        }
    }

    public string Serialise() => JsonSerializer.Serialize(
        new StoredRing(KeyEncryptionKeys.Select(ToStored).ToList(), ToStored(IdentityKey), ToStored(SearchKey)),
        Json);

    private static StoredKey ToStored(RingKey key) => new(key.Id, Convert.ToBase64String(key.Key), key.CreatedAt);

    private static RingKey NewKey(string kind, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new RingKey($"{kind}-{now:yyyyMMdd}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}", RandomNumberGenerator.GetBytes(32), now);
    }

    private sealed record StoredRing(
        [property: JsonPropertyName("keyEncryptionKeys")] List<StoredKey>? KeyEncryptionKeys,
        [property: JsonPropertyName("identityKey")] StoredKey? IdentityKey,
        [property: JsonPropertyName("searchKey")] StoredKey? SearchKey);

    private sealed record StoredKey(string? Id, string? Key, DateTimeOffset CreatedAt);
}

/// <summary>
/// Where the ring comes from: <c>PersonalData:KeyRing</c> (the ring's text, as an environment secret) or the file
/// <c>PersonalData:KeyRingFile</c>; the embedded default keeps it in its data folder, beside (not inside) the
/// database's cluster.
/// </summary>
public sealed record KeyRingSource(string? Secret, string? File)
{
    public const string Section = "PersonalData";

    public static KeyRingSource From(IConfiguration configuration, string? defaultFile)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secret = configuration[$"{Section}:KeyRing"];
        var file = configuration[$"{Section}:KeyRingFile"];
        return new KeyRingSource(
            string.IsNullOrWhiteSpace(secret) ? null : secret,
            string.IsNullOrWhiteSpace(file) ? defaultFile : Path.GetFullPath(file));
    }

    public string Describe => Secret is not null ? "the PersonalData:KeyRing secret" : File ?? "no place configured (PersonalData:KeyRing or PersonalData:KeyRingFile)";

    /// <summary>The ring, or null when there is none yet (no secret, no file).</summary>
    public KeyRing? Load()
    {
        if (Secret is not null)
        {
            return KeyRing.Parse(Secret);
        }

        return File is not null && System.IO.File.Exists(File) ? KeyRing.Parse(System.IO.File.ReadAllText(File)) : null;
    }

    /// <summary>
    /// Writes a new ring where none is; when another process starting alongside wrote one first, that one is kept and
    /// returned, so two nodes never seal under two rings.
    /// </summary>
    public KeyRing Create(TimeProvider time)
    {
        if (File is null)
        {
            throw new InvalidOperationException($"There is no key ring and nowhere to keep one: {Describe}.");
        }

        var ring = KeyRing.New(time);
        try
        {
            Write(ring, FileMode.CreateNew);
            return ring;
        }
        catch (IOException) when (System.IO.File.Exists(File))
        {
            return KeyRing.Parse(System.IO.File.ReadAllText(File));
        }
    }

    /// <summary>Replaces the ring file in one rename, so a reader never sees half a ring.</summary>
    public void Save(KeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        if (Secret is not null || File is null)
        {
            throw new InvalidOperationException("The key ring comes from a secret: store the new ring where the secret is kept.");
        }

        var next = File + ".next";
        System.IO.File.Delete(next);
        new KeyRingSource(null, next).Write(ring, FileMode.CreateNew);
        System.IO.File.Move(next, File, overwrite: true);
    }

    private void Write(KeyRing ring, FileMode mode)
    {
        // The ring opens every resident's data: the owner's alone from the moment it exists.
        var creation = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        var folder = Path.GetDirectoryName(File!)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            creation.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(File!, creation);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(ring.Serialise()));
        stream.Flush(flushToDisk: true);
    }
}
