using System.Text.RegularExpressions;
using Marten;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>A statement with named parameters, queued in a Marten session's batch (which binds them by position).</summary>
public static partial class QueuedSql
{
    public static void Queue(IDocumentOperations operations, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var values = new List<object>();
        var positional = ParameterName().Replace(sql, match =>
        {
            var name = match.Groups[1].Value;
            var found = parameters.FirstOrDefault(p => p.Name == name);
            if (found.Name is null)
            {
                throw new ArgumentException($"No value for @{name}.", nameof(parameters));
            }

            // Marten binds a null parameter as text, which a column of another type refuses; a literal NULL takes the
            // type of the column it is written to.
            if (found.Value is null)
            {
                return "NULL";
            }

            values.Add(found.Value);
            return "?";
        });

        operations.QueueSqlCommand(positional, values.ToArray());
    }

    [GeneratedRegex("@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterName();
}
