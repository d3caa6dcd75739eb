using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;
using FrontDoor.EventStore;
using FrontDoor.EventStore.Subscriptions;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;

namespace FrontDoor.Server.Residents.ErasingResident;

/// <summary>
/// Makes every recorded erasure take effect even if the process stopped between recording it and shredding: the key
/// is shredded in the same transaction as the checkpoint (the residents projection removes the search row itself).
/// Shredding twice changes nothing.
/// </summary>
public sealed class ErasureShredder : ISubscriptionHandler
{
    public const string Name = "erasure-shredder";

    public async ValueTask HandleAsync(RecordedEvent recordedEvent, SubscriptionContext context, CancellationToken cancellationToken)
    {
        // Only erasures are read: the shredder sees every event of the log and deserialises none of the rest.
        if (recordedEvent.Type != ResidentErased.EventType && recordedEvent.Type != ContactPersonalDataErased.EventType)
        {
            return;
        }

        var (subject, at) = DomainEventSerializer.Deserialize(recordedEvent) switch
        {
            ResidentErased erased => (erased.ResidentId, erased.At),
            ContactPersonalDataErased erased => (erased.ContactId, erased.At),
            _ => throw new InvalidOperationException($"Event {recordedEvent.EventId} of type {recordedEvent.Type} could not be read."),
        };
        await PersonalDataVault.ShredAsync(context.UnitOfWork.Connection, context.UnitOfWork.Transaction, subject, at, cancellationToken).ConfigureAwait(false);
    }
}
