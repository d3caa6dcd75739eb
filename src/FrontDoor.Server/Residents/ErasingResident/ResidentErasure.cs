using System.Data.Common;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Residents;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Residents.ErasingResident;

/// <summary>
/// Erasing a resident: the erasure is recorded first, then their key is shredded and their read-model row purged.
/// Recording first means a crash in between leaves an erasure the <see cref="ErasureShredder"/> completes, never a
/// shredded resident the log does not explain.
/// </summary>
public sealed partial class ResidentErasure(StoreConnection store, TimeProvider time, ILogger<ResidentErasure> logger)
{
    public const string PurgeResidentRow = "DELETE FROM rm_residents WHERE resident_id = @id";

    private const int CheckpointAttempts = 100;
    private static readonly TimeSpan CheckpointRetryDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>The erasure as recorded (now or earlier) and the stream's version, or null when there is no such resident.</summary>
    public async Task<(ErasureResponse Erasure, long Version)?> EraseAsync(Guid residentId, string basis, string reason, EventMetadata metadata, long? expectedVersion, CancellationToken cancellationToken)
    {
        var stream = StreamIds.Resident(residentId);
        var loaded = await Streams.LoadAsync(store.Events, stream, ResidentState.Initial, ResidentDecider.Evolve, cancellationToken).ConfigureAwait(false);
        if (!loaded.State.Exists)
        {
            return null;
        }

        var decided = ResidentDecider.Decide(loaded.State, new EraseResident(residentId, basis, reason, metadata.Actor ?? "unknown"), time.GetUtcNow());
        var version = loaded.Version;
        if (decided.Count > 0)
        {
            var appended = await store.Events.AppendAsync(stream, ExpectedVersion.Exact(expectedVersion ?? loaded.Version), Streams.Commanded(decided, metadata), cancellationToken).ConfigureAwait(false);
            version = appended.StreamVersion;
        }

        // Shredding again for an erasure already recorded completes one a crash interrupted; it changes nothing else.
        await ShredAsync(residentId, cancellationToken).ConfigureAwait(false);
        var recorded = decided.OfType<ResidentErased>().FirstOrDefault()
            ?? DomainEventSerializer.DeserializeAll(loaded.Recorded).OfType<ResidentErased>().First();
        return (Describe(recorded), version);
    }

    public static ErasureResponse Describe(ResidentErased erased) =>
        new(erased.ResidentId, erased.At, erased.Actor, erased.Basis, erased.Reason);

    public async Task ShredAsync(Guid residentId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await ShredAsync(connection, transaction, residentId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        await CompactAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    public static async Task ShredAsync(DbConnection connection, DbTransaction? transaction, Guid residentId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await PersonalDataVault.ShredAsync(connection, transaction, residentId, at, cancellationToken).ConfigureAwait(false);
        await Sql.ExecuteAsync(connection, transaction, PurgeResidentRow, cancellationToken, ("id", residentId.ToString("D"))).ConfigureAwait(false);
    }

    /// <summary>
    /// Deleted rows must not linger where the files keep them. SQLite runs with secure_delete, so freed space is
    /// zeroed, but the pages that held the data stay in the write-ahead log until a checkpoint folds it back and
    /// truncates it. PostgreSQL keeps a dead row version until VACUUM prunes it; the key table is tiny, so the
    /// shredded key's old version is pruned at once (the rest is left to autovacuum: it holds only ciphertext or
    /// rows already purged).
    /// </summary>
    private async Task CompactAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            if (store.Provider == "sqlite")
            {
                // A reader mid-snapshot makes the checkpoint stop short (busy = 1) and leaves the old frames in the
                // file; readers here are short, so wait them out rather than leave the erased pages behind.
                for (var attempt = 0; attempt < CheckpointAttempts; attempt++)
                {
                    var busy = await Sql.ScalarAsync(connection, null, "PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken).ConfigureAwait(false);
                    if (busy == 0)
                    {
                        return;
                    }

                    await Task.Delay(CheckpointRetryDelay, cancellationToken).ConfigureAwait(false);
                }

                CheckpointIncomplete(logger);
            }
            else
            {
                await Sql.ExecuteAsync(connection, null, "VACUUM pd_keys", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DbException exception)
        {
            // The erasure stands without it (the key is gone); the files are compacted by the next checkpoint.
            CompactionFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Compacting the store after an erasure failed; the next checkpoint will do it")]
    private static partial void CompactionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Readers kept the write-ahead log from being truncated after an erasure; the next checkpoint will fold it back")]
    private static partial void CheckpointIncomplete(ILogger logger);
}
