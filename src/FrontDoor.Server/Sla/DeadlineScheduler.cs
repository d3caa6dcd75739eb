using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Administering;
using FrontDoor.Server.Infrastructure.Events;
using Wolverine;
using Wolverine.Runtime;

namespace FrontDoor.Server.Sla;

/// <summary>
/// Turns each deadline the log records into a scheduled message for its time: a referral's due time, a check-back's
/// day, and the day a contact left with its referrals is owed a check-back anyway. The messages are durable, so a
/// restart or another node's take-over loses none. A deadline is scheduled before the checkpoint moves past its cause,
/// so a redelivered cause schedules it again, which its handler shrugs off (at least once, never lost).
/// </summary>
public sealed class DeadlineScheduler(IWolverineRuntime wolverine, PolicyStore policies, PolicyConfiguration settings) : ISubscriptionHandler
{
    public const string Name = "sla-deadlines";

    private static readonly HashSet<string> Causes =
    [
        ReferralRaised.EventType,
        FollowUpScheduled.EventType,
        ContactReceived.EventType,
    ];

    public async ValueTask HandleAsync(RecordedEvent recordedEvent, SubscriptionContext context, CancellationToken cancellationToken)
    {
        if (!Causes.Contains(recordedEvent.Type))
        {
            return;
        }

        var bus = new MessageBus(wolverine);
        switch (DomainEventSerializer.Deserialize(recordedEvent))
        {
            case ReferralRaised raised:
                await bus.ScheduleAsync(new ReferralDeadline(raised.ReferralId), raised.DueAt).ConfigureAwait(false);
                break;
            case FollowUpScheduled scheduled:
                await bus.ScheduleAsync(new CheckBackDeadline(scheduled.ContactId), scheduled.DueAt).ConfigureAwait(false);
                break;
            case ContactReceived received:
                var owed = policies.Current.Sla.AddWorkingDays(received.At, settings.CheckBackAfterWorkingDays);
                await bus.ScheduleAsync(new CheckBackAfterWaiting(received.ContactId), owed).ConfigureAwait(false);
                break;
        }
    }
}
