namespace FrontDoor.Domain.Residents;

public static class ResidentIdentity
{
    /// <summary>
    /// Two front doors registering the same person at the same moment derive the same stream id, so the
    /// event store's uniqueness check settles the race instead of creating a duplicate resident. The id is derived
    /// from a keyed digest of the match key (the server holds the key), never from the match key itself, which anyone
    /// could compute from a name, a date of birth and a postcode and look for in a copy of the database.
    /// </summary>
    public static Guid StreamIdFor(string matchKeyDigest)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(matchKeyDigest);
        return DeterministicId.From("resident", matchKeyDigest);
    }

    /// <summary>
    /// The record a person starts when they come back after their record was erased. Derived from the erased id, so
    /// racing first contacts after an erasure still meet on one record, and nothing of the erased one is reused.
    /// </summary>
    public static Guid AfterErasure(Guid erasedResidentId) =>
        DeterministicId.From("resident-after-erasure", erasedResidentId.ToString("D"));
}
