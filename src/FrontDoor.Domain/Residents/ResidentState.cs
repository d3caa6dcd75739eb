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

    /// <summary>The council's services the resident currently agrees their details may be shared with.</summary>
    public ImmutableSortedSet<string> ConsentedServices { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Partner organisations (community directory ids) the resident currently agrees to share with.</summary>
    public ImmutableSortedSet<string> ConsentedPartners { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    public bool Erased { get; init; }

    /// <summary>The record this one was merged into: the person is held there from then on.</summary>
    public Guid? MergedInto { get; init; }

    /// <summary>Records merged into this one, whose contacts and history are this person's too.</summary>
    public ImmutableList<Guid> MergedResidentIds { get; init; } = [];

    /// <summary>
    /// When the resident last said anything about sharing with each service (consent given or withdrawn, on a
    /// contact or to staff). An answer about that service from before it, arriving late, does not undo it.
    /// </summary>
    public ImmutableDictionary<string, DateTimeOffset> AnsweredAt { get; init; } = ImmutableDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);

    public bool ConsentsTo(string service) => !Erased && ConsentedServices.Contains(service);

    /// <summary>Contacts beyond the first: a measure of how often the resident has had to come back.</summary>
    public int RepeatContactCount => Math.Max(0, ContactIds.Count - 1);

    public long Version { get; init; }
}
