namespace FrontDoor.Domain;

/// <summary>
/// A command asked for something the domain's rules forbid in the aggregate's current state.
/// The <see cref="Code"/> is a stable, machine-readable reason so callers can react without parsing prose.
/// </summary>
public sealed class DomainException : Exception
{
    public DomainException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public string Code { get; }

    /// <summary>
    /// People the refusal names (such as <c>holder</c>, whoever holds the work), by their actor ids: the caller
    /// can show their names, and a client can tell whom to ask.
    /// </summary>
    public IReadOnlyDictionary<string, string> Actors { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
