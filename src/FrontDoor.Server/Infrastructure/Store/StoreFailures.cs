using Npgsql;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>Which failures mean the database was away rather than that the work was wrong.</summary>
public static class StoreFailures
{
    /// <summary>
    /// True when <paramref name="exception"/>, or one it wraps (Marten wraps Npgsql's), says the database could not
    /// be reached or was shutting down: Npgsql's transient failures (a broken or refused connection, a timeout) and
    /// PostgreSQL's own "operator intervention" and "connection exception" classes (57P01 when it is stopped, 57P03
    /// while it recovers from a crash, 08xxx).
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres when postgres.IsTransient || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal):
                    return true;
                case PostgresException:
                    return false;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
            }
        }

        return false;
    }
}
