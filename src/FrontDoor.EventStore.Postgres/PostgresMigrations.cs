using Npgsql;

namespace FrontDoor.EventStore.Postgres;

/// <summary>A versioned schema change; <c>{schema}</c> in the SQL is replaced with the configured schema.</summary>
public sealed record PostgresMigration(string Module, int Version, string Name, string Sql);

/// <summary>
/// The event log's schema on PostgreSQL, in one place, and the migrator that applies it (and any other module's
/// migrations) at start-up.
/// </summary>
public static class PostgresMigrations
{
    public const string EventLogModule = "event-log";

    public static IReadOnlyList<PostgresMigration> EventLog { get; } =
    [
        new(EventLogModule, 1, "event log, checkpoints and parked events", """
            -- One row per stream: its version is the lock every append to the stream takes first, which orders
            -- appends to one stream and makes their positions rise with their versions.
            CREATE TABLE {schema}.streams (
                stream_id   text        PRIMARY KEY,
                version     bigint      NOT NULL,
                created_at  timestamptz NOT NULL,
                updated_at  timestamptz NOT NULL
            );

            -- Positions come from an identity sequence, taken before commit: concurrent appends can commit out of
            -- position order and rolled-back ones leave holes. Readers of the whole log must account for that
            -- (see PostgresEventStore.ReadAllAsync).
            CREATE TABLE {schema}.events (
                position        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                stream_id       text        NOT NULL,
                stream_version  bigint      NOT NULL,
                event_id        uuid        NOT NULL,
                event_type      text        NOT NULL,
                data            jsonb       NOT NULL,
                metadata        jsonb       NOT NULL,
                created_at      timestamptz NOT NULL,
                CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version),
                CONSTRAINT events_stream_event_unique UNIQUE (stream_id, event_id)
            );

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
