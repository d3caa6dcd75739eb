using Microsoft.Data.Sqlite;

namespace FrontDoor.EventStore.Sqlite;

public sealed record SqliteMigration(string Module, int Version, string Name, string Sql);

/// <summary>The event log's schema on SQLite, in one place, and the migrator that applies it at start-up.</summary>
public static class SqliteMigrations
{
    public const string EventLogModule = "event-log";

    public static IReadOnlyList<SqliteMigration> EventLog { get; } =
    [
        new(EventLogModule, 1, "event log, checkpoints and parked events", """
            CREATE TABLE streams (
                stream_id   TEXT    NOT NULL PRIMARY KEY,
                version     INTEGER NOT NULL,
                created_at  TEXT    NOT NULL,
                updated_at  TEXT    NOT NULL
            ) WITHOUT ROWID;

            -- Writers are serialised by SQLite's single write lock and AUTOINCREMENT never reuses a number, so
            -- positions commit in order and never leave a hole a reader would have to wait on.
            CREATE TABLE events (
                position        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                stream_id       TEXT    NOT NULL,
                stream_version  INTEGER NOT NULL,
                event_id        TEXT    NOT NULL,
                event_type      TEXT    NOT NULL,
                data            TEXT    NOT NULL CHECK (json_valid(data)),
                metadata        TEXT    NOT NULL CHECK (json_valid(metadata)),
                created_at      TEXT    NOT NULL,
                CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version),
                CONSTRAINT events_stream_event_unique UNIQUE (stream_id, event_id)
            );

            CREATE TABLE checkpoints (
                subscription  TEXT    NOT NULL PRIMARY KEY,
                position      INTEGER NOT NULL,
                updated_at    TEXT    NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE parked_events (
                id                   INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                subscription         TEXT    NOT NULL,
                position             INTEGER NOT NULL,
                event_id             TEXT    NOT NULL,
                event_type           TEXT    NOT NULL,
                stream_id            TEXT    NOT NULL,
                error                TEXT    NOT NULL,
                attempts             INTEGER NOT NULL,
                parked_at            TEXT    NOT NULL,
                replay_requested_at  TEXT    NULL,
                resolved_at          TEXT    NULL,
                CONSTRAINT parked_events_subscription_position_unique UNIQUE (subscription, position)
            );
            """),
    ];

    internal static void Migrate(SqliteConnection connection, IEnumerable<SqliteMigration> migrations)
    {
        using var transaction = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    module      TEXT    NOT NULL,
                    version     INTEGER NOT NULL,
                    name        TEXT    NOT NULL,
                    applied_at  TEXT    NOT NULL,
                    PRIMARY KEY (module, version)
                ) WITHOUT ROWID;
                """;
            create.ExecuteNonQuery();
        }

        var applied = new HashSet<(string, long)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT module, version FROM schema_migrations";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                applied.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        foreach (var migration in migrations.OrderBy(m => m.Module, StringComparer.Ordinal).ThenBy(m => m.Version))
        {
            if (applied.Contains((migration.Module, migration.Version)))
            {
                continue;
            }

            using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = migration.Sql;
            apply.ExecuteNonQuery();

            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (module, version, name, applied_at) VALUES ($module, $version, $name, $at)";
            record.Parameters.AddWithValue("$module", migration.Module);
            record.Parameters.AddWithValue("$version", migration.Version);
            record.Parameters.AddWithValue("$name", migration.Name);
            record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
