namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>
/// A broadcast wake-up for readers of the log. A reader takes a <see cref="Waiter"/> before it reads, so an append
/// that lands between its read and its wait still wakes it.
/// </summary>
public sealed class AppendSignal
{
    private TaskCompletionSource _current = NewSource();

    public Task Waiter => Volatile.Read(ref _current).Task;

    public void Pulse() => Interlocked.Exchange(ref _current, NewSource()).TrySetResult();

    /// <summary>Waits for <paramref name="waiter"/> or the timeout; true when woken by an append.</summary>
    public static async Task<bool> WaitAsync(Task waiter, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await waiter.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
