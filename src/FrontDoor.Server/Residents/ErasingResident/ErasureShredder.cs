using FrontDoor.Domain.Residents;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Infrastructure.Events;

namespace FrontDoor.Server.Residents.ErasingResident;

/// <summary>
/// Makes every recorded erasure take effect even if the process stopped between recording it and shredding: the
/// key is shredded and the row purged in the same transaction as the checkpoint. Shredding twice changes nothing.
/// </summary>
public sealed class ErasureShredder : ISubscriptionHandler
{
    public const string Name = "erasure-shredder";

    public async ValueTask HandleAsync(RecordedEvent recordedEvent, SubscriptionContext context, CancellationToken cancellationToken)
    {
        if (recordedEvent.Type != ResidentErased.EventType || DomainEventSerializer.Deserialize(recordedEvent) is not ResidentErased erased)
        {
            return;
        }

        await ResidentErasure.ShredAsync(context.UnitOfWork.Connection, context.UnitOfWork.Transaction, erased.ResidentId, erased.At, cancellationToken).ConfigureAwait(false);
    }
}
