using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Infrastructure.Subscriptions;

/// <summary>
/// A periodic pass over the read models that runs on one node at a time: it holds a lease like a subscription's,
/// and stands by while another node holds it. Its work is found in the read models each time, so a restart or a
/// takeover loses nothing.
/// </summary>
public abstract partial class LeasedSweep(StoreConnection store, ILogger logger) : BackgroundService
{
    protected StoreConnection Store { get; } = store;

    protected abstract string LeaseName { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>One pass over everything that may have fallen due by now.</summary>
    public abstract Task SweepAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var lease = await Store.Subscriptions.TryAcquireLeaseAsync(LeaseName, stoppingToken).ConfigureAwait(false);
                if (lease is null)
                {
                    await Task.Delay(Interval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await using (lease.ConfigureAwait(false))
                {
                    using var owned = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
                    while (!owned.IsCancellationRequested)
                    {
                        await SweepAsync(owned.Token).ConfigureAwait(false);
                        await Task.Delay(Interval, owned.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                // Lost the lease: another node runs the sweep; stand by.
            }
            catch (Exception ex)
            {
                LogSweepFailed(logger, LeaseName, ex);
                await Task.Delay(Interval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "The {Sweep} sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, string sweep, Exception ex);
}
