using System.Collections.Immutable;

namespace FrontDoor.Domain.Residents;

public sealed record ResidentState
{
    public static ResidentState Initial { get; } = new();

    public Guid ResidentId { get; init; }

    public bool Exists { get; init; }

    public string? Name { get; init; }

    public DateOnly? DateOfBirth { get; init; }

    public string? Postcode { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }

    public string? MatchKey { get; init; }

    public ImmutableList<Guid> ContactIds { get; init; } = [];

    /// <summary>Contacts beyond the first: a measure of how often the resident has had to come back.</summary>
    public int RepeatContactCount => Math.Max(0, ContactIds.Count - 1);

    public long Version { get; init; }
}
