using Npgsql;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>A versioned schema change; <c>{schema}</c> in the SQL is replaced with the configured schema.</summary>
public sealed record PostgresMigration(string Module, int Version, string Name, string Sql);

/// <summary>
/// FrontDoor's own tables beside Marten's (read models and keys in their features; here only what the log's history
/// needs), and the migrator that applies them at start-up. Marten creates and migrates its event tables itself, and
/// Wolverine its message tables.
/// </summary>
public static class SchemaMigrations
{
    public const string EventLogModule = "event-log";

    public static IReadOnlyList<PostgresMigration> EventLog { get; } =
    [
        new(EventLogModule, 1, "checkpoints and parked events", """
            CREATE TABLE {schema}.checkpoints (
                subscription  text        PRIMARY KEY,
                position      bigint      NOT NULL,
                updated_at    timestamptz NOT NULL
            );

            CREATE TABLE {schema}.parked_events (
                id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                subscription         text        NOT NULL,
                position             bigint      NOT NULL,
                event_id             uuid        NOT NULL,
                event_type           text        NOT NULL,
                stream_id            text        NOT NULL,
                error                text        NOT NULL,
                attempts             integer     NOT NULL,
                parked_at            timestamptz NOT NULL,
                replay_requested_at  timestamptz NULL,
                resolved_at          timestamptz NULL,
                CONSTRAINT parked_events_subscription_position_unique UNIQUE (subscription, position)
            );
            """),
        new(EventLogModule, 2, "events are Marten's", """
            -- A database from before the events moved to Marten: its checkpoints and read models count positions in a
            -- log that is no longer read. Nothing was deployed on it, so an empty one is made ready and one with
            -- events is refused rather than silently left inconsistent.
            -- (The table is named in dynamic SQL: a plain reference is planned, and fails, where the table is absent.)
            DO $$
            DECLARE
                held boolean := false;
            BEGIN
                IF to_regclass('{schema}.events') IS NOT NULL THEN
                    EXECUTE 'SELECT EXISTS (SELECT 1 FROM {schema}.events)' INTO held;
                END IF;
                IF held THEN
                    RAISE EXCEPTION 'Schema {schema} holds events in the event log FrontDoor used before Marten; start FrontDoor on an empty database or data folder.';
                END IF;
            END $$;
            DROP TABLE IF EXISTS {schema}.events;
            DROP TABLE IF EXISTS {schema}.streams;
            """),
        new(EventLogModule, 3, "reactions are Wolverine's messages", """
            -- What reacts to an append is recorded as a message in its transaction (Wolverine's inbox, in this schema):
            -- no reader of the log keeps a checkpoint or parks an event any more.
            DROP TABLE IF EXISTS {schema}.checkpoints;
            DROP TABLE IF EXISTS {schema}.parked_events;
            """),
    ];

    /// <summary>
    /// Applies every migration not yet recorded. Runs under a transaction-scoped advisory lock: processes starting
    /// together would otherwise race on CREATE TABLE and fail on the catalogue's unique index.
    /// </summary>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, string schema, IEnumerable<PostgresMigration> migrations, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            command.Parameters.AddWithValue("key", AdvisoryKey.For("migrate", schema));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(
            $"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
                module      text        NOT NULL,
                version     integer     NOT NULL,
                name        text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (module, version)
            );
            """,
            connection,
            transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var applied = new HashSet<(string, int)>();
        await using (var command = new NpgsqlCommand($"SELECT module, version FROM {schema}.schema_migrations", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add((reader.GetString(0), reader.GetInt32(1)));
            }
        }

        foreach (var migration in migrations.OrderBy(m => m.Module, StringComparer.Ordinal).ThenBy(m => m.Version))
        {
            if (applied.Contains((migration.Module, migration.Version)))
            {
                continue;
            }

            await using (var command = new NpgsqlCommand(migration.Sql.Replace("{schema}", schema, StringComparison.Ordinal), connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var command = new NpgsqlCommand($"INSERT INTO {schema}.schema_migrations (module, version, name) VALUES (@module, @version, @name)", connection, transaction))
            {
                command.Parameters.AddWithValue("module", migration.Module);
                command.Parameters.AddWithValue("version", migration.Version);
                command.Parameters.AddWithValue("name", migration.Name);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
