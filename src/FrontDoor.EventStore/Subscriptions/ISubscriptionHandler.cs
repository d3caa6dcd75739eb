namespace FrontDoor.EventStore.Subscriptions;

/// <summary>
/// Reacts to events of the log. Delivery is at-least-once: a handler must leave the world as it was when it
/// is handed an event it has already handled. Writes made through <see cref="SubscriptionContext.UnitOfWork"/>
/// commit together with the checkpoint, so for them redelivery cannot happen at all.
/// </summary>
public interface ISubscriptionHandler
{
    ValueTask HandleAsync(RecordedEvent recordedEvent, SubscriptionContext context, CancellationToken cancellationToken);
}

public sealed class SubscriptionContext
{
    public SubscriptionContext(string subscription, IStoreUnitOfWork unitOfWork, bool isReplayOfParkedEvent)
    {
        Subscription = subscription;
        UnitOfWork = unitOfWork;
        IsReplayOfParkedEvent = isReplayOfParkedEvent;
    }

    public string Subscription { get; }

    public IStoreUnitOfWork UnitOfWork { get; }

    public bool IsReplayOfParkedEvent { get; }
}

public sealed record SubscriptionOptions
{
    /// <summary>Events handed to the handler in one transaction.</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>How long an idle subscription waits for a wake-up before it polls the log anyway.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a standby instance tries to take over the subscription.</summary>
    public TimeSpan LeaseRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts at one event before it is parked.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the active instance looks for parked events someone asked to replay, and refreshes its lag.</summary>
    public TimeSpan HousekeepingInterval { get; init; } = TimeSpan.FromSeconds(2);
}
