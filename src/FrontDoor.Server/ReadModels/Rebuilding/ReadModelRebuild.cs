using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.ReadModels.Rebuilding;

/// <summary>
/// Rebuilds a read model from the log without taking it away from the pages: the rows are folded into a shadow
/// table while the live table keeps serving and every append keeps writing it inline, the shadow follows the log
/// until it is close, and the two are swapped in one short transaction.
/// </summary>
/// <remarks>
/// The swap takes the live table in ACCESS EXCLUSIVE mode. Every append that already wrote a row there holds a lock
/// on it until it commits, so once the swap has the table, every such append is committed and visible to the final
/// catch-up; an append that has not written its row yet waits for the swap and then writes into the new table,
/// which by then has the old one's name. Rows are only replaced by a newer last position, so neither overwrites the
/// other backwards.
/// </remarks>
public sealed class ReadModelRebuild(StoreConnection store, IRebuildableReadModel model, TimeProvider time)
{
    private const int RowsPerTransaction = 1000;
    private const int EventsOpenedTogether = 1000;

    /// <summary>How far the log may run ahead of the shadow before the swap catches up under the lock.</summary>
    private const long CatchUpUnderLockAtMost = 2000;

    public string ShadowTable => model.Table + "_rebuild";

    public async Task<RebuildReport> RunAsync(IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var dialect = ShadowTables.Postgres;
        var folder = model.NewFolder();

        await using (var uow = await store.BeginUnitOfWorkAsync(cancellationToken).ConfigureAwait(false))
        {
            // A shadow left by an interrupted rebuild is never live, so it is simply started again.
            await dialect.CreateShadowAsync(uow, model.Table, ShadowTable, cancellationToken).ConfigureAwait(false);
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var built = await store.Events.ReadHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        long read = 0;
        var page = new List<RecordedEvent>(EventsOpenedTogether);
        await foreach (var recorded in store.Events.ReadAllUpToAsync(built, cancellationToken).ConfigureAwait(false))
        {
            page.Add(recorded);
            if (page.Count == EventsOpenedTogether)
            {
                await ApplyAsync(folder, page, cancellationToken).ConfigureAwait(false);
            }

            if (++read % 5000 == 0)
            {
                progress?.Report(new RebuildProgress(RebuildStage.Reading, recorded.Position, built));
            }
        }

        await ApplyAsync(folder, page, cancellationToken).ConfigureAwait(false);

        progress?.Report(new RebuildProgress(RebuildStage.Reading, built, built));
        var rows = await WriteShadowAsync(folder, progress, cancellationToken).ConfigureAwait(false);

        // Follow the log until it is close, so the swap's lock is held only for a short catch-up. This reading waits
        // for any append still open below the head, so nothing up to it is stepped over.
        while (true)
        {
            var head = await store.Events.ReadHeadPositionAsync(cancellationToken).ConfigureAwait(false);
            if (head - built <= CatchUpUnderLockAtMost)
            {
                break;
            }

            var touched = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var recorded in store.Events.ReadAllBetweenAsync(built, head, cancellationToken).ConfigureAwait(false))
            {
                if (StreamName.CategoryOf(recorded.StreamId) == model.Category)
                {
                    touched.Add(recorded.StreamId);
                }
            }

            await using var uow = await store.BeginUnitOfWorkAsync(cancellationToken).ConfigureAwait(false);
            await RewriteAsync(uow, touched, cancellationToken).ConfigureAwait(false);
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            built = head;
        }

        var swappedAt = await SwapAsync(dialect, built, cancellationToken).ConfigureAwait(false);
        progress?.Report(new RebuildProgress(RebuildStage.Swapped, swappedAt, swappedAt));
        return new RebuildReport(model.Table, read, rows, swappedAt, time.GetElapsedTime(started));
    }

    /// <summary>
    /// A model whose rows hold personal data folds events with their sealed fields opened; the keys are read a page
    /// at a time, and an erased subject's fields simply stay null.
    /// </summary>
    private async Task ApplyAsync(IStreamRowFolder folder, List<RecordedEvent> page, CancellationToken cancellationToken)
    {
        if (page.Count == 0)
        {
            return;
        }

        var events = model.ReadsPersonalData
            ? await new PersonalDataVault(store, time).OpenAsync(page, cancellationToken).ConfigureAwait(false)
            : page;
        foreach (var recorded in events)
        {
            folder.Apply(recorded);
        }

        page.Clear();
    }

    private async Task<long> WriteShadowAsync(IStreamRowFolder folder, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        var upsert = model.UpsertInto(ShadowTable);
        var batch = new List<(string Name, object? Value)[]>(RowsPerTransaction);
        long written = 0;
        var total = folder.Streams;
        foreach (var row in folder.Rows())
        {
            batch.Add(row);
            if (batch.Count == RowsPerTransaction)
            {
                written += await FlushAsync().ConfigureAwait(false);
            }
        }

        written += await FlushAsync().ConfigureAwait(false);
        return written;

        async Task<int> FlushAsync()
        {
            await using var uow = await store.BeginUnitOfWorkAsync(cancellationToken).ConfigureAwait(false);
            await Sql.ExecuteManyAsync(uow.Connection, uow.Transaction, upsert, batch, cancellationToken).ConfigureAwait(false);
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            var count = batch.Count;
            batch.Clear();
            progress?.Report(new RebuildProgress(RebuildStage.Writing, written + count, total));
            return count;
        }
    }

    private async Task RewriteAsync(IStoreUnitOfWork uow, IEnumerable<string> streams, CancellationToken cancellationToken)
    {
        foreach (var streamId in streams)
        {
            await model.WriteRowAsync(uow, streamId, ShadowTable, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<long> SwapAsync(ShadowTables dialect, long built, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var uow = await store.BeginUnitOfWorkAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await dialect.LockLiveTableAsync(uow, model.Table, cancellationToken).ConfigureAwait(false);

                // A plain read of what has committed, not the log's reader: an append still open below the head is
                // waiting for this lock, and will write its row into the new table itself.
                var (touched, head) = await MartenEventLog.StreamsAppendedAfterAsync(uow.Connection, uow.Transaction, built, model.Category, cancellationToken).ConfigureAwait(false);
                await RewriteAsync(uow, touched, cancellationToken).ConfigureAwait(false);
                await dialect.SwapAsync(uow, model.Table, ShadowTable, cancellationToken).ConfigureAwait(false);
                await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
                return Math.Max(built, head);
            }
            catch (Exception ex) when (attempt < 10 && dialect.IsLockTimeout(ex))
            {
                // The live table stayed as it was; try again.
            }
        }
    }
}

/// <summary>The read models a rebuild can be asked for, by their short name, their table's or their projection's.</summary>
public static class RebuildableReadModels
{
    public static IReadOnlyList<IRebuildableReadModel> All { get; } = [new ContactsProjection(), new ReferralsProjection(), new ResidentsProjection()];

    public static IRebuildableReadModel? Find(string name) =>
        All.FirstOrDefault(m => m.ProjectionName == name || m.Table == name || m.Table == "rm_" + name);
}

public enum RebuildStage
{
    Reading,
    Writing,
    Swapped,
}

/// <summary>Where a rebuild is: events read up to a position of the head, rows written of the total, or swapped.</summary>
public sealed record RebuildProgress(RebuildStage Stage, long Done, long Total);

public sealed record RebuildReport(string Table, long EventsRead, long RowsWritten, long SwappedAtPosition, TimeSpan Elapsed);
