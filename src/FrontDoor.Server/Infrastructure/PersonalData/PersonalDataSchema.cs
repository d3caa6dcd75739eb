using FrontDoor.EventStore.Postgres;
using FrontDoor.EventStore.Sqlite;

namespace FrontDoor.Server.Infrastructure.PersonalData;

/// <summary>
/// The data subjects' keys, in a table of their own so no event payload ever holds one. A shredded subject keeps its
/// row with the key material gone: the tombstone stops a late writer from giving an erased person a fresh key.
/// The DDL uses only types both stores share, as the read models do.
/// </summary>
public static class PersonalDataSchema
{
    public const string Module = "personal-data";

    private static readonly (int Version, string Name, string Sql)[] Migrations =
    [
        (1, "data subjects' keys", """
            CREATE TABLE pd_keys (
                subject_id      TEXT   NOT NULL PRIMARY KEY,
                key_material    TEXT   NULL,
                created_at_ms   BIGINT NOT NULL,
                shredded_at_ms  BIGINT NULL
            );
            """),
    ];

    public static IEnumerable<PostgresMigration> ForPostgres() =>
        Migrations.Select(m => new PostgresMigration(Module, m.Version, m.Name, m.Sql));

    public static IEnumerable<SqliteMigration> ForSqlite() =>
        Migrations.Select(m => new SqliteMigration(Module, m.Version, m.Name, m.Sql));
}
