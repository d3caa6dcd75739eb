using FrontDoor.Server.Figures.ViewingFigures;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.ReadModels;
using FrontDoor.Server.Staff;
using Marten.Events.Projections;

namespace FrontDoor.Server;

/// <summary>
/// The server's own tables beside the log (read models and the data subjects' keys), migrated when the store opens,
/// and the projections that keep the read models inside every append. Each module's DDL runs in FrontDoor's schema
/// through the search path. The server and the command line both open the store with these, so an append from
/// either keeps the read models. The key ring is opened (or refused) with the store, once the schema is migrated.
/// </summary>
public static class FrontDoorSchema
{
    /// <param name="createKeyRing">
    /// The server creates a ring over a database without subject keys; an operator's command never does, and opens
    /// one only when it is given.
    /// </param>
    public static IServiceCollection AddFrontDoorSchema(this IServiceCollection services, KeyRingSource keyRing, bool createKeyRing = true)
    {
        var ring = new PersonalDataKeys(keyRing, TimeProvider.System, createKeyRing);
        services.AddSingleton(ring);
        foreach (var (module, migrations) in new[] { (ReadModelSchema.Module, ReadModelSchema.Migrations), (PersonalDataSchema.Module, PersonalDataSchema.Migrations), (StaffDirectory.Module, StaffDirectory.Migrations) })
        {
            foreach (var (version, name, sql) in migrations)
            {
                services.AddSingleton(new PostgresMigration(module, version, name, sql));
            }
        }

        foreach (var projection in new IProjection[] { new ContactsProjection(), new ReferralsProjection(), new ResidentsProjection(ring) })
        {
            services.AddSingleton(projection);
        }

        services.AddSingleton(new AsyncProjection(new DayActivityProjection(), DayActivityProjection.Name, DayActivityProjection.Table));

        return services;
    }
}
