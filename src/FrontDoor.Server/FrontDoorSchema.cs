using FrontDoor.EventStore.Postgres;
using FrontDoor.EventStore.Sqlite;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.ReadModels;

namespace FrontDoor.Server;

/// <summary>
/// The server's own tables beside the log (read models and the data subjects' keys), migrated when the store opens.
/// Each module's DDL is one text both stores run, so the same migrations are registered for each.
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
                services.AddSingleton(new SqliteMigration(module, version, name, sql));
            }
        }

        return services;
    }
}
