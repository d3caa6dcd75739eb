using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Messaging;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Residents.ErasingResident;

/// <summary>A recorded erasure whose key must be shredded: the data subject and when it was erased (ids and time only).</summary>
public sealed record ShredSubjectKey(Guid SubjectId, DateTimeOffset At);

/// <summary>
/// Makes every recorded erasure take effect even if the process stopped between recording it and shredding: the
/// message is recorded in the erasure's own transaction, and handled until it succeeds (the residents projection
/// removes the search row itself). Shredding twice changes nothing.
/// </summary>
public static class ShredSubjectKeyHandler
{
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddReaction<ResidentErased, ShredSubjectKey>((_, erased, _) => Reaction.Now(new ShredSubjectKey(erased.ResidentId, erased.At)));
        services.AddReaction<ContactPersonalDataErased, ShredSubjectKey>((_, erased, _) => Reaction.Now(new ShredSubjectKey(erased.ContactId, erased.At)));
        return services;
    }

    public static async Task Handle(ShredSubjectKey shred, StoreConnection store, CancellationToken cancellationToken)
    {
        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await PersonalDataVault.ShredAsync(connection, null, shred.SubjectId, shred.At, cancellationToken).ConfigureAwait(false);
        }
    }
}
