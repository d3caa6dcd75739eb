using System.Data.Common;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Residents.ErasingResident;

/// <summary>
/// Erasing a data subject — a resident, or a contact that named none: the erasure is recorded first, then the
/// subject's key is shredded. Recording first means a crash in between leaves an erasure the
/// <see cref="ErasureShredder"/> completes, never a shredded subject the log does not explain.
/// </summary>
public sealed partial class PersonalDataErasure(StoreConnection store, TimeProvider time, ILogger<PersonalDataErasure> logger)
{
    private const string PurgeResidentRow = "DELETE FROM rm_residents WHERE resident_id = @id";

    /// <summary>The erasure as recorded (now or earlier) and the stream's version, or null when there is no such resident.</summary>
    /// <remarks>
    /// A record merged into another is the same person: erasing it erases the record the person is held in, and with
    /// it every record merged into that one.
    /// </remarks>
    public async Task<(ErasureResponse Erasure, long Version)?> EraseAsync(Guid residentId, string basis, string? reference, EventMetadata metadata, long? expectedVersion, CancellationToken cancellationToken)
    {
        var requested = await Streams.LoadAsync(store.Events, StreamKinds.Resident, residentId, cancellationToken).ConfigureAwait(false);
        if (requested.State.MergedInto is { } into)
        {
            // The version asked for was the merged record's; the person's own record is erased as it stands.
            return await EraseRecordAsync(into, basis, reference, metadata, expectedVersion: null, cancellationToken).ConfigureAwait(false);
        }

        return await EraseRecordAsync(residentId, basis, reference, metadata, expectedVersion, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(ErasureResponse Erasure, long Version)?> EraseRecordAsync(Guid residentId, string basis, string? reference, EventMetadata metadata, long? expectedVersion, CancellationToken cancellationToken)
    {
        var recorded = await RecordAsync(
            StreamKinds.Resident,
            residentId,
            state => ResidentDecider.Decide(state, new EraseResident(residentId, basis, reference, metadata.Actor ?? "unknown"), time.GetUtcNow()),
            metadata,
            expectedVersion,
            cancellationToken).ConfigureAwait(false);
        if (recorded is not { } done)
        {
            return null;
        }

        // The projection removes the resident's search row once it reaches the erasure; purging it here as well means
        // the search stops finding them as soon as this answers.
        await ShredAsync(residentId, purgeResidentRow: true, cancellationToken).ConfigureAwait(false);
        await EraseConfirmedContactsAsync(residentId, done.Recorded, basis, reference, metadata, cancellationToken).ConfigureAwait(false);

        // Records merged into this one hold the same person's details under their own keys: erased with it.
        foreach (var merged in DomainEventSerializer.DeserializeAll(done.Recorded).OfType<ResidentMerged>())
        {
            await EraseRecordAsync(merged.MergedResidentId, basis, reference, metadata, expectedVersion: null, cancellationToken).ConfigureAwait(false);
        }
        var erased = done.Decided.OfType<ResidentErased>().FirstOrDefault()
            ?? DomainEventSerializer.DeserializeAll(done.Recorded).OfType<ResidentErased>().First();
        return (Describe(erased), done.Version);
    }

    /// <summary>
    /// A web contact staff confirmed as this resident's keeps what the form said on a record of its own, sealed under
    /// that record's key: erasing the resident erases those records too, so nothing of theirs stays readable.
    /// Repeating an erasure repeats this, which completes one a crash interrupted.
    /// </summary>
    private async Task EraseConfirmedContactsAsync(Guid residentId, IReadOnlyList<RecordedEvent> residentEvents, string basis, string? reference, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var resident = ResidentDecider.Fold(ResidentState.Initial, DomainEventSerializer.DeserializeAll(residentEvents));
        foreach (var contactId in resident.ContactIds)
        {
            var contact = await Streams.LoadAsync(store.Events, StreamKinds.Contact, contactId, cancellationToken).ConfigureAwait(false);
            if (contact.State.ConfirmedResidentId == residentId && contact.State.ResidentId is { } own && own != residentId)
            {
                await EraseRecordAsync(own, basis, reference, metadata, expectedVersion: null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public static ErasureResponse Describe(ResidentErased erased) =>
        new(erased.ResidentId, erased.At, erased.Actor, erased.Basis, erased.Reference);

    /// <summary>Erases the summary of a contact that named no resident; false when there is no such contact.</summary>
    public async Task<bool> EraseContactAsync(Guid contactId, string basis, string? reference, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var recorded = await RecordAsync(
            StreamKinds.Contact,
            contactId,
            state => ContactDecider.Decide(state, new EraseContactPersonalData(contactId, basis, reference, metadata.Actor ?? "unknown"), time.GetUtcNow()),
            metadata,
            expectedVersion: null,
            cancellationToken).ConfigureAwait(false);
        if (recorded is null)
        {
            return false;
        }

        await ShredAsync(contactId, purgeResidentRow: false, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Appends what the decider makes of the erasure (nothing when it is already recorded, in which case shredding
    /// again completes one a crash interrupted); null when the stream holds no such subject.
    /// </summary>
    private async Task<(IReadOnlyList<RecordedEvent> Recorded, IReadOnlyList<object> Decided, long Version)?> RecordAsync<TState>(
        StreamKind<TState> kind,
        Guid id,
        Func<TState, IReadOnlyList<object>> decide,
        EventMetadata metadata,
        long? expectedVersion,
        CancellationToken cancellationToken)
    {
        var fetched = await StreamChange.FetchAsync(store.Writing, kind, id, cancellationToken).ConfigureAwait(false);
        await using var disposeFetched = fetched.ConfigureAwait(false);
        if (!kind.Exists(fetched.State))
        {
            return null;
        }

        StreamChange.RefuseStale(kind, id, expectedVersion, fetched);
        var changed = await StreamChange.AppendAsync(store.Writing, kind, fetched, decide(fetched.State), decided => Task.FromResult(Streams.Commanded(decided, metadata)), cancellationToken).ConfigureAwait(false);
        return (fetched.Recorded, changed.Decided, changed.Version);
    }

    private async Task ShredAsync(Guid subjectId, bool purgeResidentRow, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await PersonalDataVault.ShredAsync(connection, transaction, subjectId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (purgeResidentRow)
            {
                await Sql.ExecuteAsync(connection, transaction, PurgeResidentRow, cancellationToken, ("id", subjectId.ToString("D"))).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await CompactAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deleted rows must not linger where the files keep them. PostgreSQL keeps a dead row version until VACUUM prunes
    /// it; the key table is tiny, so the shredded key's old version is pruned at once (the rest is left to autovacuum:
    /// it holds only ciphertext or rows already purged).
    /// </summary>
    private async Task CompactAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await Sql.ExecuteAsync(connection, null, "VACUUM pd_keys", cancellationToken).ConfigureAwait(false);
        }
        catch (DbException exception)
        {
            // The erasure stands without it (the key is gone); autovacuum prunes the old row version later.
            CompactionFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Vacuuming the key table after an erasure failed; autovacuum will prune the shredded key's old row version")]
    private static partial void CompactionFailed(ILogger logger, Exception exception);

}
