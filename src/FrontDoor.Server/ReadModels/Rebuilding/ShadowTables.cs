using System.Text.RegularExpressions;
using FrontDoor.EventStore;
using FrontDoor.Server.Infrastructure.Data;
using Npgsql;

namespace FrontDoor.Server.ReadModels.Rebuilding;

/// <summary>
/// Creating a shadow of a read-model table and swapping it in, per store. The shadow copies the live table's current
/// shape from the catalogue (not from the migrations' text), so it matches whatever migrations have run.
/// </summary>
public abstract class ShadowTables
{
    public static ShadowTables Postgres { get; } = new PostgresShadowTables();

    public abstract Task CreateShadowAsync(IStoreUnitOfWork uow, string table, string shadow, CancellationToken cancellationToken);

    /// <summary>Keeps readers and the projection off the live table until the swap commits.</summary>
    public abstract Task LockLiveTableAsync(IStoreUnitOfWork uow, string table, CancellationToken cancellationToken);

    /// <summary>Drops the live table and gives the shadow its name and its indexes' names.</summary>
    public abstract Task SwapAsync(IStoreUnitOfWork uow, string table, string shadow, CancellationToken cancellationToken);

    public virtual bool IsLockTimeout(Exception exception) => false;

    protected static Task ExecuteAsync(IStoreUnitOfWork uow, string sql, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(uow.Connection, uow.Transaction, sql, cancellationToken);

    /// <summary>Table names here come from the read models' own code, never from input; this keeps it that way.</summary>
    protected static string Identifier(string name) =>
        Regex.IsMatch(name, "^[a-z_][a-z0-9_]*$", RegexOptions.None, TimeSpan.FromSeconds(1))
            ? name
            : throw new ArgumentException($"'{name}' is not a read-model table name.", nameof(name));

    private sealed class PostgresShadowTables : ShadowTables
    {
        public override async Task CreateShadowAsync(IStoreUnitOfWork uow, string table, string shadow, CancellationToken cancellationToken)
        {
            await ExecuteAsync(uow, $"DROP TABLE IF EXISTS {Identifier(shadow)}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(uow, $"CREATE TABLE {Identifier(shadow)} (LIKE {Identifier(table)} INCLUDING ALL)", cancellationToken).ConfigureAwait(false);
        }

        public override async Task LockLiveTableAsync(IStoreUnitOfWork uow, string table, CancellationToken cancellationToken)
        {
            // ACCESS EXCLUSIVE queues every later reader behind the swap, so never wait long for it: on timeout the
            // rebuild retries and the pages carry on in the meantime.
            await ExecuteAsync(uow, "SET LOCAL lock_timeout = '5s'", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(uow, $"LOCK TABLE {Identifier(table)} IN ACCESS EXCLUSIVE MODE", cancellationToken).ConfigureAwait(false);
        }

        public override async Task SwapAsync(IStoreUnitOfWork uow, string table, string shadow, CancellationToken cancellationToken)
        {
            var live = await IndexesAsync(uow, table, cancellationToken).ConfigureAwait(false);
            var copies = await IndexesAsync(uow, shadow, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(uow, $"DROP TABLE {Identifier(table)}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(uow, $"ALTER TABLE {Identifier(shadow)} RENAME TO {Identifier(table)}", cancellationToken).ConfigureAwait(false);

            // LIKE … INCLUDING ALL names the copied indexes itself; give each the live index's name back (renaming a
            // primary key's index renames its constraint too), so later migrations find them by name.
            foreach (var (name, shape) in copies)
            {
                var original = live.FirstOrDefault(index => index.Shape == shape).Name;
                if (original is not null && original != name)
                {
                    await ExecuteAsync(uow, $"ALTER INDEX {Identifier(name)} RENAME TO {Identifier(original)}", cancellationToken).ConfigureAwait(false);
                }
            }
        }

        public override bool IsLockTimeout(Exception exception) =>
            exception is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable };

        /// <summary>Each index's name and its definition without its name and table, which is what a copy shares.</summary>
        private static async Task<List<(string Name, string Shape)>> IndexesAsync(IStoreUnitOfWork uow, string table, CancellationToken cancellationToken) =>
            await Sql.QueryAsync(
                uow.Connection,
                uow.Transaction,
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = @table ORDER BY indexname",
                reader => (reader.GetString(0), Shape(reader.GetString(1))),
                cancellationToken,
                ("table", table)).ConfigureAwait(false);

        private static string Shape(string definition) =>
            (definition.StartsWith("CREATE UNIQUE", StringComparison.Ordinal) ? "unique " : string.Empty) +
            definition[definition.IndexOf(" USING ", StringComparison.Ordinal)..];
    }
}
