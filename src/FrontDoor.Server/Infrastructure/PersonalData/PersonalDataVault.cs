using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Infrastructure.PersonalData;

/// <summary>
/// The keys that seal each data subject's personal fields in the log: one per subject, created on first use,
/// shredded on erasure, stored only wrapped under the key ring (<see cref="PersonalDataKeys"/>). Keys are read from
/// the database on every use and never cached, so a key shredded by one node cannot go on opening data on another.
/// </summary>
public sealed class PersonalDataVault(StoreConnection store, PersonalDataKeys ring, TimeProvider time)
{
    public PersonalDataKeys Ring => ring;

    private const int SubjectsPerQuery = 200;

    /// <summary>
    /// Serialises decided events for the log, sealing the personal fields of those that have any. Pass the same
    /// <paramref name="keys"/> to the calls of one request, so a subject's key is looked up once per request.
    /// <para>
    /// Once a subject is erased nothing more can be sealed under them. By default that refuses the events; with
    /// <paramref name="omitWhenErased"/> the events are kept with their personal fields left out — for work that
    /// must go on after an erasure (a referral still has to be completed), where the text would be unreadable anyway.
    /// </para>
    /// </summary>
    public async Task<EventData[]> ToEventDataAsync(IReadOnlyList<object> decided, Func<int, Guid> eventId, EventMetadata metadata, CancellationToken cancellationToken, IDictionary<Guid, byte[]>? keys = null, bool omitWhenErased = false)
    {
        keys ??= new Dictionary<Guid, byte[]>();
        var result = new EventData[decided.Count];
        for (var i = 0; i < decided.Count; i++)
        {
            if (decided[i] is IPersonalDataEvent personal && SealedFields.HoldsPersonalData(personal.GetType()))
            {
                var subject = personal.DataSubjectId();
                if (!keys.TryGetValue(subject, out var key))
                {
                    key = await KeyForSealingAsync(subject, refuseErased: !omitWhenErased, cancellationToken).ConfigureAwait(false);
                    if (key is not null)
                    {
                        keys[subject] = key;
                    }
                }

                result[i] = key is null
                    ? DomainEventSerializer.ToEventDataWithoutPersonalFields(personal, eventId(i), metadata)
                    : DomainEventSerializer.ToSealedEventData(personal, eventId(i), metadata, subject, key);
            }
            else
            {
                result[i] = DomainEventSerializer.ToEventData(decided[i], eventId(i), metadata);
            }
        }

        return result;
    }

    /// <summary>The subject's key, created if this is their first sealed field; once they are erased, refused or null.</summary>
    private async Task<byte[]?> KeyForSealingAsync(Guid subject, bool refuseErased, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var stored = await StoredKeyAsync(connection, subject, cancellationToken).ConfigureAwait(false);
        if (stored.Count == 0)
        {
            // Two first contacts of one resident can race here: the insert of the loser does nothing and both read
            // the same key back.
            var wrapped = ring.Wrap(subject, SealedFields.NewKey());
            await Sql.ExecuteAsync(
                connection,
                null,
                "INSERT INTO pd_keys (subject_id, key_material, kek_id, created_at_ms) VALUES (@subject, @key, @kek, @at) ON CONFLICT (subject_id) DO NOTHING",
                cancellationToken,
                ("subject", subject.ToString("D")),
                ("key", wrapped),
                ("kek", KeyRingWrapping.KeyIdOf(wrapped)),
                ("at", time.GetUtcNow().ToUnixMs())).ConfigureAwait(false);
            stored = await StoredKeyAsync(connection, subject, cancellationToken).ConfigureAwait(false);
        }

        return stored is [{ } material]
            ? ring.Unwrap(subject, material)
            : !refuseErased
                ? null
                : throw new DomainException("resident.erased", $"The personal data of {subject} has been erased; nothing more can be recorded under it.");
    }

    private static Task<List<string?>> StoredKeyAsync(DbConnection connection, Guid subject, CancellationToken cancellationToken) =>
        Sql.QueryAsync(connection, null, "SELECT key_material FROM pd_keys WHERE subject_id = @subject", r => r.NullableString(0), cancellationToken, ("subject", subject.ToString("D")));

    public async Task<IReadOnlyList<RecordedEvent>> OpenAsync(IReadOnlyList<RecordedEvent> recorded, CancellationToken cancellationToken)
    {
        if (!recorded.Any(IsSealed))
        {
            return recorded;
        }

        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await OpenAsync(connection, null, recorded, ring, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The events with their sealed fields opened (in memory only) where the subject's key still exists, and null
    /// where it does not. Reads keys on the caller's connection, so a projection sees them in its own transaction.
    /// </summary>
    public static async Task<IReadOnlyList<RecordedEvent>> OpenAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<RecordedEvent> recorded, PersonalDataKeys ring, CancellationToken cancellationToken)
    {
        var sealedEvents = new List<(int Index, IPersonalDataEvent Event)>();
        for (var i = 0; i < recorded.Count; i++)
        {
            if (IsSealed(recorded[i]) && DomainEventSerializer.Deserialize(recorded[i]) is IPersonalDataEvent personal)
            {
                sealedEvents.Add((i, personal));
            }
        }

        if (sealedEvents.Count == 0)
        {
            return recorded;
        }

        var keys = await KeysAsync(connection, transaction, sealedEvents.Select(s => s.Event.DataSubjectId()).Distinct().ToList(), ring, cancellationToken).ConfigureAwait(false);
        var opened = recorded.ToArray();
        foreach (var (index, personal) in sealedEvents)
        {
            var subject = personal.DataSubjectId();
            opened[index] = Open(opened[index], personal.GetType(), subject, keys.GetValueOrDefault(subject));
        }

        return opened;
    }

    /// <summary>One event with its sealed fields opened under <paramref name="key"/> (null where the key is gone).</summary>
    public static RecordedEvent Open(RecordedEvent recorded, Type eventType, Guid subject, byte[]? key)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var json = JsonNode.Parse(recorded.Data)!.AsObject();
        SealedFields.Open(json, recorded.Type, SealedFields.Of(eventType), subject, key);
        return recorded with { Data = json.ToJsonString() };
    }

    /// <summary>
    /// Crypto-shredding: the key material is deleted and a tombstone kept, so every sealed field of the subject in
    /// the log, in backups of the log and in exports of it can no longer be read.
    /// </summary>
    public static Task ShredAsync(DbConnection connection, DbTransaction? transaction, Guid subject, DateTimeOffset at, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(
            connection,
            transaction,
            """
            INSERT INTO pd_keys (subject_id, key_material, created_at_ms, shredded_at_ms) VALUES (@subject, NULL, @at, @at)
            ON CONFLICT (subject_id) DO UPDATE SET key_material = NULL, shredded_at_ms = COALESCE(pd_keys.shredded_at_ms, excluded.shredded_at_ms)
            """,
            cancellationToken,
            ("subject", subject.ToString("D")),
            ("at", at.ToUnixMs()));

    private static bool IsSealed(RecordedEvent recorded) =>
        DomainEvents.TryGetType(recorded.Type, out var type) && SealedFields.HoldsPersonalData(type) && SealedFields.MayHoldSealedFields(recorded.Data);

    private static async Task<Dictionary<Guid, byte[]>> KeysAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<Guid> subjects, PersonalDataKeys ring, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<Guid, byte[]>();
        foreach (var chunk in subjects.Chunk(SubjectsPerQuery))
        {
            var names = chunk.Select((_, i) => "@s" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            var rows = await Sql.QueryAsync(
                connection,
                transaction,
                $"SELECT subject_id, key_material FROM pd_keys WHERE key_material IS NOT NULL AND subject_id IN ({string.Join(", ", names)})",
                r => (Subject: Guid.Parse(r.GetString(0)), Wrapped: r.GetString(1)),
                cancellationToken,
                chunk.Select((s, i) => (names[i][1..], (object?)s.ToString("D"))).ToArray()).ConfigureAwait(false);
            foreach (var (subject, wrapped) in rows)
            {
                keys[subject] = ring.Unwrap(subject, wrapped);
            }
        }

        return keys;
    }
}
