using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.ReadModels;

namespace FrontDoor.Server;

/// <summary>
/// The server's own tables beside the log (read models and the data subjects' keys), migrated when the store opens.
/// Each module's DDL runs in FrontDoor's schema through the search path.
/// </summary>
public static class FrontDoorSchema
{
    public static IServiceCollection AddFrontDoorSchema(this IServiceCollection services)
    {
        foreach (var (module, migrations) in new[] { (ReadModelSchema.Module, ReadModelSchema.Migrations), (PersonalDataSchema.Module, PersonalDataSchema.Migrations) })
        {
            foreach (var (version, name, sql) in migrations)
            {
                services.AddSingleton(new PostgresMigration(module, version, name, sql));
            }
        }

        return services;
    }
}
