using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.ReadModels;

namespace FrontDoor.Server;

/// <summary>The server's own tables beside the log (read models and the data subjects' keys), migrated when the store opens.</summary>
public static class FrontDoorSchema
{
    public static IServiceCollection AddFrontDoorSchema(this IServiceCollection services)
    {
        foreach (var migration in ReadModelSchema.ForPostgres().Concat(PersonalDataSchema.ForPostgres()))
        {
            services.AddSingleton(migration);
        }

        foreach (var migration in ReadModelSchema.ForSqlite().Concat(PersonalDataSchema.ForSqlite()))
        {
            services.AddSingleton(migration);
        }

        return services;
    }
}
