using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using FrontDoor.Server.Infrastructure.Data;

namespace FrontDoor.Server.Infrastructure.PersonalData;

/// <summary>
/// Wrapping data subjects' keys under a key-encryption key held outside the database: the seam a KMS or an HSM plugs
/// into. A wrapped key is stored as <c>kw1:{key-encryption key id}:{base64}</c>, so the database says which key
/// opens it and never the key.
/// </summary>
public interface ISubjectKeyWrapping
{
    /// <summary>The key-encryption key new subject keys are wrapped under.</summary>
    string CurrentKeyId { get; }

    bool Knows(string keyEncryptionKeyId);

    string Wrap(Guid subject, byte[] subjectKey);

    /// <summary>The subject's key; a wrap that does not open (another subject's, altered, an unknown key) throws.</summary>
    byte[] Unwrap(Guid subject, string wrapped);
}

/// <summary>Subject keys wrapped with AES-GCM under the ring's key-encryption keys, bound to their subject.</summary>
public sealed class KeyRingWrapping(KeyRing ring) : ISubjectKeyWrapping
{
    public const string Prefix = "kw1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public string CurrentKeyId => ring.Current.Id;

    public bool Knows(string keyEncryptionKeyId) => ring.Find(keyEncryptionKeyId) is not null;

    public string Wrap(Guid subject, byte[] subjectKey)
    {
        ArgumentNullException.ThrowIfNull(subjectKey);
        var kek = ring.Current;
        var wrapped = new byte[NonceSize + TagSize + subjectKey.Length];
        RandomNumberGenerator.Fill(wrapped.AsSpan(0, NonceSize));
        using var aes = new AesGcm(kek.Key, TagSize);
        aes.Encrypt(wrapped.AsSpan(0, NonceSize), subjectKey, wrapped.AsSpan(NonceSize + TagSize), wrapped.AsSpan(NonceSize, TagSize), AssociatedData(subject, kek.Id));
        return $"{Prefix}{kek.Id}:{Convert.ToBase64String(wrapped)}";
    }

    public byte[] Unwrap(Guid subject, string wrapped)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        var (keyId, sealedKey) = Parse(wrapped);
        var kek = ring.Find(keyId) ?? throw new CryptographicException($"Subject {subject} has a key wrapped under key-encryption key {keyId}, which is not in the key ring.");
        var bytes = Convert.FromBase64String(sealedKey);
        var key = new byte[bytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(kek.Key, TagSize);
        aes.Decrypt(bytes.AsSpan(0, NonceSize), bytes.AsSpan(NonceSize + TagSize), bytes.AsSpan(NonceSize, TagSize), key, AssociatedData(subject, kek.Id));
        return key;
    }

    /// <summary>The id of the key-encryption key a stored wrap was made under.</summary>
    public static string KeyIdOf(string wrapped) => Parse(wrapped).KeyId;

    private static (string KeyId, string Sealed) Parse(string wrapped)
    {
        var end = wrapped.IndexOf(':', Prefix.Length);
        return wrapped.StartsWith(Prefix, StringComparison.Ordinal) && end > Prefix.Length
            ? (wrapped[Prefix.Length..end], wrapped[(end + 1)..])
            : throw new CryptographicException("A stored subject key is not wrapped.");
    }

    // Bound to the subject: a wrapped key copied onto another subject's row does not open.
    private static byte[] AssociatedData(Guid subject, string keyId) => Encoding.UTF8.GetBytes($"frontdoor-subject-key|{subject:D}|{keyId}");
}

/// <summary>
/// The node's personal-data secrets: the key ring, checked against the database when the store opens. A ring is
/// created only over a database that holds no subject key yet; one that holds keys the ring cannot unwrap (the ring
/// lost, or another one given) stops the start, since a new ring would silently open nothing of what is stored.
/// </summary>
public sealed class PersonalDataKeys(KeyRingSource source, TimeProvider time, bool createIfAbsent = true)
{
    private const int RewrapBatch = 500;

    private readonly Lock _reloading = new();

    // One snapshot, replaced whole, so a reader never pairs one ring with another's wrapping.
    private Loaded? _loaded;

    public KeyRingSource Source => source;

    /// <summary>The ring as last read.</summary>
    public KeyRing Ring => Current.Ring;

    private Loaded Current => _loaded ?? throw new InvalidOperationException(
        $"The personal-data key ring is not open: there is none at {source.Describe}. Give it with --key-ring-file, PersonalData:KeyRingFile or PersonalData:KeyRing.");

    /// <summary>A new subject key, wrapped under the newest key-encryption key of the ring as it stands on disk.</summary>
    public string Wrap(Guid subject, byte[] subjectKey)
    {
        ReloadIfRotated();
        return Current.Wrapping.Wrap(subject, subjectKey);
    }

    public byte[] Unwrap(Guid subject, string wrapped)
    {
        if (!Current.Wrapping.Knows(KeyRingWrapping.KeyIdOf(wrapped)))
        {
            Reload();
        }

        return Current.Wrapping.Unwrap(subject, wrapped);
    }

    /// <summary>
    /// Blind index terms: a keyed digest of each thing a resident is looked up by (its kind says what), equal for
    /// equal values and meaningless without the search key.
    /// </summary>
    public IEnumerable<string> SearchTerms(IEnumerable<(string Kind, string Value)> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ReloadIfRotated();
        using var hmac = new HMACSHA256(Ring.SearchKey.Key);
        foreach (var (kind, value) in values)
        {
            // 96 bits: no two different values meet on a term among a borough's residents.
            yield return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(kind + "\u001f" + value)), 0, 12);
        }
    }

    /// <summary>
    /// A keyed digest of what identifies someone (a resident's match key), for ids in the database that cannot be
    /// tried against a list of names, dates of birth and postcodes.
    /// </summary>
    public string IdentityOf(string matchKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(matchKey);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Ring.IdentityKey.Key, Encoding.UTF8.GetBytes(matchKey)));
    }

    /// <summary>Opens (or, over a database without subject keys, creates) the ring and checks it opens every stored key.</summary>
    public async Task OpenAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var stored = await StoredKeysAsync(connection, cancellationToken).ConfigureAwait(false);
        var ring = source.Load();
        if (ring is null)
        {
            // An operator's command that reads no personal data (messages, dead letters) needs no ring; one that does
            // says so when it asks for it.
            if (!createIfAbsent)
            {
                return;
            }

            // Keys stored before they were wrapped (no key id) are wrapped under the new ring below.
            if (stored.Where(s => s.Key.Length > 0).Sum(s => s.Value) is var wrapped and > 0)
            {
                throw new InvalidOperationException(
                    $"There is no personal-data key ring at {source.Describe}, and the database holds {wrapped} data subjects' keys wrapped under one. " +
                    "Restore the ring (or point PersonalData:KeyRingFile or PersonalData:KeyRing at it); a new ring would open none of them.");
            }

            ring = source.Create(time);
        }

        var unknown = stored.Where(s => s.Key.Length > 0 && ring.Find(s.Key) is null).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The personal-data key ring at {source.Describe} lacks key-encryption key(s) {string.Join(", ", unknown.Select(u => $"{u.Key} ({u.Value} subject keys)"))}. " +
                "Restore the ring those keys were wrapped under.");
        }

        Use(ring);
        if (stored.ContainsKey(string.Empty))
        {
            await RewrapAsync(connection, onlyUnwrapped: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How many live subject keys are wrapped under each key-encryption key ("" for those stored before wrapping).</summary>
    public static async Task<Dictionary<string, long>> StoredKeysAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = await Sql.QueryAsync(
            connection,
            null,
            "SELECT coalesce(kek_id, ''), count(*) FROM pd_keys WHERE key_material IS NOT NULL GROUP BY kek_id",
            r => (KeyId: r.GetString(0), Count: r.GetInt64(1)),
            cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.KeyId, r => r.Count, StringComparer.Ordinal);
    }

    /// <summary>
    /// Adds a key-encryption key to the ring file and wraps every subject key again under it; returns the new key's
    /// id and how many subject keys were wrapped. The old key stays in the ring until it is retired.
    /// </summary>
    public async Task<(string KeyId, long Wrapped)> RotateAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rotated = Ring.WithNewKeyEncryptionKey(time);
        source.Save(rotated);
        return (rotated.Current.Id, await RewrapAsync(connection, onlyUnwrapped: false, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Removes an old key-encryption key from the ring file; refused for the current one and for one still wrapping keys.</summary>
    public async Task RetireAsync(DbConnection connection, string keyId, CancellationToken cancellationToken)
    {
        var ring = Ring;
        if (ring.Find(keyId) is null)
        {
            throw new ArgumentException($"{keyId} is not a key-encryption key of the ring.", nameof(keyId));
        }

        var still = (await StoredKeysAsync(connection, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(keyId);
        if (keyId == ring.Current.Id || still > 0)
        {
            throw new InvalidOperationException($"{keyId} is {(still > 0 ? $"still wrapping {still} subject keys: run keys rotate first" : "the current key-encryption key")}.");
        }

        source.Save(ring.Without(keyId));
    }

    /// <summary>
    /// Wraps subject keys again under the ring's current key-encryption key (all of them, or only those stored before
    /// keys were wrapped), one statement per batch, a batch per transaction; returns how many were wrapped.
    /// </summary>
    public async Task<long> RewrapAsync(DbConnection connection, bool onlyUnwrapped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);

        // Under the ring as it stands now: a rotation has just added the key to wrap under.
        Reload();
        var wrapping = Current.Wrapping;
        long done = 0;
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var batch = await Sql.QueryAsync(
                connection,
                transaction,
                $"""
                SELECT subject_id, key_material, kek_id FROM pd_keys
                WHERE key_material IS NOT NULL AND {(onlyUnwrapped ? "kek_id IS NULL" : "kek_id IS DISTINCT FROM @current")}
                ORDER BY subject_id LIMIT {RewrapBatch} FOR UPDATE
                """,
                r => (Subject: Guid.Parse(r.GetString(0)), Material: r.GetString(1), KeyId: r.NullableString(2)),
                cancellationToken,
                ("current", wrapping.CurrentKeyId)).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return done;
            }

            // Keys from before wrapping are stored as their base64 bytes.
            var rewrapped = batch.Select(k => wrapping.Wrap(k.Subject, k.KeyId is null ? Convert.FromBase64String(k.Material) : Unwrap(k.Subject, k.Material))).ToArray();
            await Sql.ExecuteAsync(
                connection,
                transaction,
                """
                UPDATE pd_keys SET key_material = w.material, kek_id = @kek
                FROM unnest(@subjects::text[], @materials::text[]) AS w(subject_id, material)
                WHERE pd_keys.subject_id = w.subject_id AND pd_keys.key_material IS NOT NULL
                """,
                cancellationToken,
                ("subjects", batch.Select(k => k.Subject.ToString("D")).ToArray()),
                ("materials", rewrapped),
                ("kek", wrapping.CurrentKeyId)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            done += batch.Count;
        }
    }

    // A ring rotated beside a running node (keys rotate) is used from then on; a stat is cheap beside what follows.
    private void ReloadIfRotated()
    {
        if (source.Secret is null && source.File is not null && File.GetLastWriteTimeUtc(source.File) != Current.WrittenAt)
        {
            Reload();
        }
    }

    private void Reload()
    {
        lock (_reloading)
        {
            if (source.Load() is { } ring)
            {
                Use(ring);
            }
        }
    }

    private void Use(KeyRing ring) => _loaded = new Loaded(
        ring,
        new KeyRingWrapping(ring),
        source.Secret is null && source.File is not null ? File.GetLastWriteTimeUtc(source.File) : default);

    private sealed record Loaded(KeyRing Ring, ISubjectKeyWrapping Wrapping, DateTime WrittenAt);
}
