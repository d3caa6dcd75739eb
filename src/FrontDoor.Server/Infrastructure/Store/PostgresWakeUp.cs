using Npgsql;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>
/// Tells readers in other processes that the log moved, through LISTEN/NOTIFY. The notification is sent after the
/// append committed, in its own statement, and coalesced: a NOTIFY inside the append's transaction would make every
/// append queue on PostgreSQL's notification lock at commit, which serialises commits that could otherwise be
/// flushed together. Readers also poll, so a lost notification only costs latency.
/// </summary>
internal sealed class PostgresWakeUp : IAsyncDisposable
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly string _connectionString;
    private readonly string _channel;
    private readonly AppendSignal _signal;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _notifyRequested = new(0, 1);
    private Task _listening = Task.CompletedTask;
    private Task _notifying = Task.CompletedTask;
    private int _notifyDue;

    public PostgresWakeUp(string connectionString, string channel, AppendSignal signal)
    {
        // The listener keeps its connection for the life of the process; it must not come from (or go back to) the pool.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 10 }.ConnectionString;
        _channel = channel;
        _signal = signal;
    }

    public void Start()
    {
        _listening = Task.Run(() => ListenAsync(_stopping.Token));
        _notifying = Task.Run(() => NotifyLoopAsync(_stopping.Token));
    }

    public void NotifyOtherProcesses()
    {
        // Once a notification is due it covers every append until it is sent; asking again is a no-op, not a throw
        // (a caught SemaphoreFullException per append cost hundreds of exceptions a second under load).
        if (Interlocked.Exchange(ref _notifyDue, 1) == 0)
        {
            _notifyRequested.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_listening, _notifying).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
        _notifyRequested.Dispose();
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload != _origin)
                    {
                        _signal.Pulse();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {_channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Anything appended while we were not listening is found by the readers' next read.
                _signal.Pulse();
                while (!cancellationToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                await Task.Delay(ReconnectDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task NotifyLoopAsync(CancellationToken cancellationToken)
    {
        // pg_notify gives its transaction an id, so each commit would wait for its own WAL flush: a second disk
        // flush per append, competing with the appends. A notification is only a hint (readers poll), so its commit
        // need not wait for the disk.
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = true, KeepAlive = 0 };
        builder.Options = $"{builder.Options} -c synchronous_commit=off".Trim();
        var connectionString = builder.ConnectionString;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _notifyRequested.WaitAsync(cancellationToken).ConfigureAwait(false);

                // Cleared before the notification is sent, so an append committed from here on asks for another.
                Volatile.Write(ref _notifyDue, 0);
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @origin)", connection);
                notify.Parameters.AddWithValue("channel", _channel);
                notify.Parameters.AddWithValue("origin", _origin);
                await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                // Other processes fall back to polling until the database answers again.
                await Task.Delay(ReconnectDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
