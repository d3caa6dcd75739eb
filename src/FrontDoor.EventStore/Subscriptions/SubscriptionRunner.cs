using FrontDoor.EventStore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace FrontDoor.EventStore.Subscriptions;

/// <summary>
/// Runs one named subscription: waits to own it, resumes from its checkpoint, catches up, then follows the log
/// live. The checkpoint only moves after the handler succeeded (at-least-once); an event that keeps failing is
/// retried with backoff and then parked so the events behind it still flow.
/// </summary>
public sealed partial class SubscriptionRunner
{
    private const int MaxStoredErrorLength = 4000;

    private readonly string _name;
    private readonly ISubscriptionHandler _handler;
    private readonly IEventStore _store;
    private readonly ISubscriptionStore _subscriptions;
    private readonly SubscriptionOptions _options;
    private readonly SubscriptionMonitor _monitor;
    private readonly ILogger _logger;

    public SubscriptionRunner(
        string name,
        ISubscriptionHandler handler,
        IEventStore store,
        ISubscriptionStore subscriptions,
        SubscriptionMonitor monitor,
        ILogger logger,
        SubscriptionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        _handler = handler;
        _store = store;
        _subscriptions = subscriptions;
        _monitor = monitor;
        _logger = logger;
        _options = options ?? new SubscriptionOptions();
        _monitor.Update(_name, s => s);
    }

    public string Name => _name;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            ISubscriptionLease? lease;
            try
            {
                lease = await _subscriptions.TryAcquireLeaseAsync(_name, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                SetState(SubscriptionState.Faulted, ex.Message);
                LogLeaseFailed(_logger, ex, _name);
                await DelayQuietly(_options.LeaseRetryInterval, stoppingToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (lease is null)
            {
                SetState(SubscriptionState.Standby, null);
                await DelayQuietly(_options.LeaseRetryInterval, stoppingToken).ConfigureAwait(false);
                continue;
            }

            await using (lease.ConfigureAwait(false))
            {
                using var owned = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
                try
                {
                    await RunWhileOwnedAsync(owned.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (OperationCanceledException)
                {
                    SetState(SubscriptionState.Standby, "Ownership lost.");
                    LogOwnershipLost(_logger, _name);
                }
                catch (CheckpointConflictException ex)
                {
                    SetState(SubscriptionState.Standby, ex.Message);
                    LogOwnershipLost(_logger, _name);
                }
                catch (Exception ex)
                {
                    SetState(SubscriptionState.Faulted, ex.Message);
                    LogSubscriptionFaulted(_logger, ex, _name);
                    await DelayQuietly(_options.LeaseRetryInterval, stoppingToken).ConfigureAwait(false);
                }
            }
        }

        SetState(SubscriptionState.Stopped, null);
    }

    private async Task RunWhileOwnedAsync(CancellationToken cancellationToken)
    {
        var checkpoint = await _subscriptions.LoadCheckpointAsync(_name, cancellationToken).ConfigureAwait(false);
        _monitor.Update(_name, s => s with { Checkpoint = checkpoint, State = SubscriptionState.CatchingUp, LastError = null, ChangedAt = _monitor.Now });
        var nextHousekeeping = DateTimeOffset.MinValue;
        Task<IReadOnlyList<RecordedEvent>>? readAhead = null;
        try
        {
            while (true)
            {
                (checkpoint, readAhead, nextHousekeeping) = await StepAsync(checkpoint, readAhead, nextHousekeeping, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (readAhead is not null)
            {
                Observe(readAhead);
            }
        }
    }

    /// <summary>A page read ahead that will not be handled must still be observed, or its failure goes unseen.</summary>
    private static void Observe(Task readAhead) =>
        readAhead.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>
    /// One page: read (or taken from the read-ahead), handled and checkpointed. While a full page is handled and
    /// committed, the next one is already being read, so catching up costs the slower of the two, not their sum.
    /// </summary>
    private async Task<(long Checkpoint, Task<IReadOnlyList<RecordedEvent>>? ReadAhead, DateTimeOffset NextHousekeeping)> StepAsync(
        long checkpoint,
        Task<IReadOnlyList<RecordedEvent>>? readAhead,
        DateTimeOffset nextHousekeeping,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_monitor.Now >= nextHousekeeping)
        {
            await ReplayRequestedParkedEventsAsync(cancellationToken).ConfigureAwait(false);
            var head = await _store.ReadHeadPositionAsync(cancellationToken).ConfigureAwait(false);
            _monitor.Update(_name, s => s with { Head = Math.Max(s.Head, head) });
            nextHousekeeping = _monitor.Now + _options.HousekeepingInterval;
        }

        var waiter = _store.Appended.Waiter;
        var readEarlier = readAhead is not null;
        var page = readAhead is null
            ? await _store.ReadAllAsync(checkpoint, _options.BatchSize, cancellationToken).ConfigureAwait(false)
            : await readAhead.ConfigureAwait(false);
        readAhead = null;
        if (page.Count == 0 && readEarlier)
        {
            // The waiter was taken after that read began, so it may have missed a wake-up: read again before waiting.
            return (checkpoint, null, nextHousekeeping);
        }

        if (page.Count == 0)
        {
            SetState(SubscriptionState.Live, null);
            await AppendSignal.WaitAsync(waiter, _options.PollInterval, cancellationToken).ConfigureAwait(false);
            return (checkpoint, null, nextHousekeeping);
        }

        if (page.Count == _options.BatchSize)
        {
            SetState(SubscriptionState.CatchingUp, null);
            readAhead = _store.ReadAllAsync(page[^1].Position, _options.BatchSize, cancellationToken);
        }

        checkpoint = await HandlePageAsync(page, checkpoint, cancellationToken).ConfigureAwait(false);

        // Every event of the page is handled or parked by now; were it not, the page read ahead would not follow on.
        if (readAhead is not null && checkpoint != page[^1].Position)
        {
            Observe(readAhead);
            readAhead = null;
        }

        return (checkpoint, readAhead, nextHousekeeping);
    }

    private async Task<long> HandlePageAsync(IReadOnlyList<RecordedEvent> page, long checkpoint, CancellationToken cancellationToken)
    {
        if (page.Count > 1)
        {
            try
            {
                var last = page[^1].Position;
                var uow = await _subscriptions.BeginUnitOfWorkAsync(cancellationToken).ConfigureAwait(false);
                await using (uow.ConfigureAwait(false))
                {
                    var context = new SubscriptionContext(_name, uow, isReplayOfParkedEvent: false);
                    foreach (var recorded in page)
                    {
                        using var activity = EventStoreTelemetry.StartHandling(_name, recorded);
                        await _handler.HandleAsync(recorded, context, cancellationToken).ConfigureAwait(false);
                    }

                    await uow.AdvanceCheckpointAsync(_name, checkpoint, last, cancellationToken).ConfigureAwait(false);
                    await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                Advanced(last, page.Count);
                return last;
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not CheckpointConflictException)
            {
                // One event of the batch failed and took the batch's transaction with it: go one by one so only
                // that event is retried and, if it must be, parked.
                LogBatchFailed(_logger, ex, _name, page[0].Position, page[^1].Position);
            }
        }

        foreach (var recorded in page)
        {
            checkpoint = await HandleOneAsync(recorded, checkpoint, cancellationToken).ConfigureAwait(false);
        }

        return checkpoint;
    }

    private async Task<long> HandleOneAsync(RecordedEvent recorded, long checkpoint, CancellationToken cancellationToken)
    {
        Exception? lastError = null;
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            try
            {
                var uow = await _subscriptions.BeginUnitOfWorkAsync(cancellationToken).ConfigureAwait(false);
                await using (uow.ConfigureAwait(false))
                {
                    using var activity = EventStoreTelemetry.StartHandling(_name, recorded);
                    await _handler.HandleAsync(recorded, new SubscriptionContext(_name, uow, false), cancellationToken).ConfigureAwait(false);
                    await uow.AdvanceCheckpointAsync(_name, checkpoint, recorded.Position, cancellationToken).ConfigureAwait(false);
                    await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                Advanced(recorded.Position, 1);
                return recorded.Position;
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not CheckpointConflictException)
            {
                lastError = ex;
                SetState(SubscriptionState.Retrying, ex.Message);
                LogHandlerFailed(_logger, ex, _name, recorded.Position, recorded.Type, attempt, _options.MaxAttempts);
                if (attempt < _options.MaxAttempts)
                {
                    await Task.Delay(RetryDelay(attempt), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var parkUow = await _subscriptions.BeginUnitOfWorkAsync(cancellationToken).ConfigureAwait(false);
        await using (parkUow.ConfigureAwait(false))
        {
            await parkUow.ParkAsync(_name, recorded, Describe(lastError!), _options.MaxAttempts, cancellationToken).ConfigureAwait(false);
            await parkUow.AdvanceCheckpointAsync(_name, checkpoint, recorded.Position, cancellationToken).ConfigureAwait(false);
            await parkUow.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        LogParked(_logger, _name, recorded.Position, recorded.Type);
        _monitor.Update(_name, s => s with { ParkedEvents = s.ParkedEvents + 1 });
        Advanced(recorded.Position, 0);
        return recorded.Position;
    }

    private async Task ReplayRequestedParkedEventsAsync(CancellationToken cancellationToken)
    {
        var parked = await _subscriptions.ListParkedAsync(_name, includeResolved: false, cancellationToken).ConfigureAwait(false);
        _monitor.Update(_name, s => s with { ParkedEvents = parked.Count });
        foreach (var entry in parked.Where(p => p.ReplayRequestedAt is not null))
        {
            var found = await _store.ReadAllAsync(entry.Position - 1, 1, cancellationToken).ConfigureAwait(false);
            try
            {
                var uow = await _subscriptions.BeginUnitOfWorkAsync(cancellationToken).ConfigureAwait(false);
                await using (uow.ConfigureAwait(false))
                {
                    if (found.Count == 1 && found[0].Position == entry.Position)
                    {
                        await _handler.HandleAsync(found[0], new SubscriptionContext(_name, uow, true), cancellationToken).ConfigureAwait(false);
                    }

                    await uow.ResolveParkedAsync(entry.Id, cancellationToken).ConfigureAwait(false);
                    await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                _monitor.Update(_name, s => s with { ParkedEvents = Math.Max(0, s.ParkedEvents - 1) });
                LogReplayed(_logger, _name, entry.Position);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var uow = await _subscriptions.BeginUnitOfWorkAsync(cancellationToken).ConfigureAwait(false);
                await using (uow.ConfigureAwait(false))
                {
                    await uow.RecordReplayFailureAsync(entry.Id, Describe(ex), cancellationToken).ConfigureAwait(false);
                    await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
                }

                LogHandlerFailed(_logger, ex, _name, entry.Position, entry.EventType, 1, 1);
            }
        }
    }

    private void Advanced(long position, int handled) =>
        _monitor.Update(_name, s => s with
        {
            Checkpoint = position,
            Head = Math.Max(s.Head, position),
            HandledEvents = s.HandledEvents + handled,
            State = s.State == SubscriptionState.Retrying ? SubscriptionState.CatchingUp : s.State,
            LastError = s.State == SubscriptionState.Retrying ? s.LastError : null,
            ChangedAt = _monitor.Now,
        });

    private void SetState(SubscriptionState state, string? error) =>
        _monitor.Update(_name, s => s.State == state && s.LastError == error ? s : s with { State = state, LastError = error, ChangedAt = _monitor.Now });

    private TimeSpan RetryDelay(int attempt)
    {
        var delay = _options.FirstRetryDelay * Math.Pow(2, attempt - 1);
        return delay > _options.MaxRetryDelay ? _options.MaxRetryDelay : delay;
    }

    private static string Describe(Exception ex)
    {
        var text = $"{ex.GetType().FullName}: {ex.Message}";
        return text.Length <= MaxStoredErrorLength ? text : text[..MaxStoredErrorLength];
    }

    private static async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Subscription {Subscription} could not ask for ownership")]
    private static partial void LogLeaseFailed(ILogger logger, Exception ex, string subscription);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Subscription {Subscription} lost ownership; standing by")]
    private static partial void LogOwnershipLost(ILogger logger, string subscription);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Subscription {Subscription} faulted; it will restart")]
    private static partial void LogSubscriptionFaulted(ILogger logger, Exception ex, string subscription);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Subscription {Subscription} batch {From}..{To} failed; handling its events one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception ex, string subscription, long from, long to);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Subscription {Subscription} failed on event {Position} ({EventType}), attempt {Attempt} of {MaxAttempts}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex, string subscription, long position, string eventType, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Subscription {Subscription} parked event {Position} ({EventType}) and moved on")]
    private static partial void LogParked(ILogger logger, string subscription, long position, string eventType);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Subscription {Subscription} replayed parked event {Position}")]
    private static partial void LogReplayed(ILogger logger, string subscription, long position);
}
