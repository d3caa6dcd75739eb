namespace FrontDoor.Domain.Residents;

public static class ResidentIdentity
{
    /// <summary>
    /// Two front doors registering the same person at the same moment derive the same stream id, so the
    /// event store's uniqueness check settles the race instead of creating a duplicate resident.
    /// </summary>
    public static Guid StreamIdFor(string matchKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(matchKey);
        return DeterministicId.From("resident", matchKey);
    }
}
