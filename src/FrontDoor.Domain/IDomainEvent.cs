namespace FrontDoor.Domain;

/// <summary>Every event records who caused it and when, so the history is an audit trail on its own.</summary>
public interface IDomainEvent
{
    string Actor { get; }

    DateTimeOffset At { get; }
}

/// <summary>
/// The stored type name is part of the persisted contract; it must survive CLR renames and refactors,
/// which is why it is declared explicitly rather than derived from the type's name.
/// </summary>
public interface INamedEvent : IDomainEvent
{
    static abstract string EventType { get; }
}
