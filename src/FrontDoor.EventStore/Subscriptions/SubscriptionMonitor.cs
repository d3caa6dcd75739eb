using System.Collections.Concurrent;

namespace FrontDoor.EventStore.Subscriptions;

public enum SubscriptionState
{
    Starting,
    Standby,
    CatchingUp,
    Live,
    Retrying,
    Faulted,
    Stopped,
}

public sealed record SubscriptionStatus(
    string Name,
    SubscriptionState State,
    long Checkpoint,
    long Head,
    long HandledEvents,
    long ParkedEvents,
    string? LastError,
    DateTimeOffset ChangedAt)
{
    public long Lag => Math.Max(0, Head - Checkpoint);

    /// <summary>True for the instance that owns the subscription in this process.</summary>
    public bool IsActive => State is SubscriptionState.CatchingUp or SubscriptionState.Live or SubscriptionState.Retrying;
}

/// <summary>What every subscription in this process is doing; read by health checks, metrics and tests.</summary>
public sealed class SubscriptionMonitor
{
    private readonly ConcurrentDictionary<string, SubscriptionStatus> _statuses = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly AppendSignal _changed = new();

    public SubscriptionMonitor(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public IReadOnlyList<SubscriptionStatus> Snapshot() =>
        _statuses.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();

    public SubscriptionStatus? Get(string name) => _statuses.TryGetValue(name, out var status) ? status : null;

    internal void Update(string name, Func<SubscriptionStatus, SubscriptionStatus> change)
    {
        _statuses.AddOrUpdate(
            name,
            n => change(new SubscriptionStatus(n, SubscriptionState.Starting, 0, 0, 0, 0, null, _time.GetUtcNow())),
            (_, current) => change(current));
        _changed.Pulse();
    }

    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// Completes when every named subscription (all known ones when none are named) has checkpointed at or past
    /// <paramref name="position"/>.
    /// </summary>
    public async Task WaitForCheckpointAsync(long position, TimeSpan timeout, IReadOnlyCollection<string>? names = null, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var waiter = _changed.Waiter;
            var relevant = names is null
                ? Snapshot()
                : names.Select(n => Get(n) ?? new SubscriptionStatus(n, SubscriptionState.Starting, 0, 0, 0, 0, null, Now)).ToArray();
            if (relevant.Count > 0 && relevant.All(s => s.Checkpoint >= position))
            {
                return;
            }

            try
            {
                await AppendSignal.WaitAsync(waiter, TimeSpan.FromMilliseconds(250), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var behind = string.Join(", ", relevant.Where(s => s.Checkpoint < position).Select(s => $"{s.Name}@{s.Checkpoint} ({s.State}: {s.LastError})"));
                throw new TimeoutException($"Subscriptions did not reach position {position} within {timeout}: {behind}");
            }
        }
    }
}
