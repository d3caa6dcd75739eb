using Npgsql;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>Which failures mean the database was away rather than that the work was wrong.</summary>
public static class StoreFailures
{
    /// <summary>
    /// True when <paramref name="exception"/>, or one it wraps (Marten wraps Npgsql's), is one Npgsql calls transient:
    /// a broken, refused or timed-out connection, or a server error such as 57P01 (stopped), 57P02 (another process
    /// crashed), 57P03 (recovering from a crash), the 08 connection class, a deadlock or a serialization failure.
    /// The first server error met decides: a constraint's refusal wrapped around anything is not waited out.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    return postgres.IsTransient;
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
            }
        }

        return false;
    }
}
