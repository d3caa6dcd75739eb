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
}
