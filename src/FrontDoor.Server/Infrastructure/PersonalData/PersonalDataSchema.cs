namespace FrontDoor.Server.Infrastructure.PersonalData;

/// <summary>
/// The data subjects' keys, in a table of their own so no event payload ever holds one. A shredded subject keeps its
/// row with the key material gone: the tombstone stops a late writer from giving an erased person a fresh key.
/// The DDL uses only types both stores share, as the read models do.
/// </summary>
public static class PersonalDataSchema
{
    public const string Module = "personal-data";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } =
    [
        (1, "data subjects' keys", """
            CREATE TABLE pd_keys (
                subject_id      TEXT   NOT NULL PRIMARY KEY,
                key_material    TEXT   NULL,
                created_at_ms   BIGINT NOT NULL,
                shredded_at_ms  BIGINT NULL
            );
            """),
        (2, "subject keys stored wrapped under a key-encryption key held outside the database, named here", """
            ALTER TABLE pd_keys ADD COLUMN kek_id TEXT NULL;
            CREATE INDEX pd_keys_kek ON pd_keys (kek_id) WHERE key_material IS NOT NULL;
            """),
    ];
}
