using System.Data.Common;
using JasperFx.Events.Projections;
using Npgsql;
using NpgsqlTypes;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>A projection Marten keeps inline whose rows an operator can have rebuilt from the log.</summary>
public interface IRebuildableProjection
{
    /// <summary>The name Marten knows the projection by.</summary>
    string ProjectionName { get; }

    /// <summary>The table its rows live in.</summary>
    string Table { get; }
}

/// <summary>Where a rebuild is: the position Marten's daemon has projected up to, of the log's head when it started.</summary>
public sealed record RebuildProgress(long Position, long Head);

public sealed record RebuildReport(string Table, long Rows, long Position, TimeSpan Elapsed);

/// <summary>The pages of one projection's rebuild, as Marten's daemon tracker publishes them.</summary>
internal sealed class RebuildPages(string shardPrefix, long head, IProgress<RebuildProgress>? progress) : IObserver<ShardState>
{
    private long _position;

    public long Position => Interlocked.Read(ref _position);

    public void OnNext(ShardState value)
    {
        if (value.ShardName.StartsWith(shardPrefix, StringComparison.Ordinal) && value.Sequence > Position)
        {
            Interlocked.Exchange(ref _position, value.Sequence);
            progress?.Report(new RebuildProgress(value.Sequence, Math.Max(head, value.Sequence)));
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}

public sealed partial class MartenEventLog
{
    /// <summary>
    /// Rebuilds an inline projection with Marten's daemon, from the first event to the head, reporting each page the
    /// daemon's tracker publishes. The rows are replaced in place, never emptied first, while appends keep writing them
    /// inline: the pages keep working, and a row is only replaced from a position at least as new, so neither the
    /// rebuild nor a live append sets a row back.
    /// </summary>
    public async Task<RebuildReport> RebuildAsync(IRebuildableProjection projection, IProgress<RebuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projection);
        var started = _time.GetTimestamp();
        var head = await ReadHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        using var daemon = await _marten.BuildProjectionDaemonAsync().ConfigureAwait(false);
        var pages = new RebuildPages(projection.ProjectionName + ":", head, progress);
        using (daemon.Tracker.Subscribe(pages))
        {
            // The shard timeout bounds the wait for one page, not the whole rebuild.
            await daemon.RebuildProjectionAsync(projection.ProjectionName, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        }

        // A rebuild that returned reached the daemon's high-water mark, which is at least the head read before it.
        var position = Math.Max(head, pages.Position);
        progress?.Report(new RebuildProgress(position, position));
        await using var count = _dataSource.CreateCommand($"SELECT count(*) FROM {_schema}.{projection.Table}");
        var rows = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return new RebuildReport(projection.Table, rows, position, _time.GetElapsedTime(started));
    }

    /// <summary>
    /// Each of <paramref name="upTo"/>'s streams up to the version given for it, in version order, in one round trip:
    /// what a projection folds when the daemon hands it a page of the stored log.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<RecordedEvent>>> ReadStreamsUpToAsync(DbConnection connection, IReadOnlyDictionary<string, long> upTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(upTo);
        await using var command = connection.CreateCommand();

        // Unqualified: the log's connections resolve names in FrontDoor's schema.
        command.CommandText = $"""
            SELECT {RecordedColumns} FROM mt_events
            JOIN unnest(@streams, @versions) AS wanted(stream, up_to) ON mt_events.stream_id = wanted.stream AND mt_events.version <= wanted.up_to
            ORDER BY mt_events.stream_id, mt_events.version
            """;
        command.Parameters.Add(new NpgsqlParameter("streams", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = upTo.Keys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("versions", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = upTo.Values.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return ByStream(await ReadRowsAsync(reader, cancellationToken).ConfigureAwait(false));
    }
}
