using System.Collections.Immutable;

namespace FrontDoor.Domain.Referrals;

public static class ReferralStatus
{
    public const string None = "none";
    public const string Raised = "raised";
    public const string Claimed = "claimed";
    public const string Accepted = "accepted";
    public const string Completed = "completed";
    public const string Returned = "returned";
}

public sealed record ReferralState
{
    public static ReferralState Initial { get; } = new();

    public Guid ReferralId { get; init; }

    public Guid ContactId { get; init; }

    /// <summary>The contact's resident (null when it named none): with the contact, whose key seals what staff write here.</summary>
    public Guid? ResidentId { get; init; }

    public string Status { get; init; } = ReferralStatus.None;

    public bool Exists => Status != ReferralStatus.None;

    /// <summary>Completed and returned are terminal: a returned referral is replaced by a new one, never revived.</summary>
    public bool IsFinished => Status is ReferralStatus.Completed or ReferralStatus.Returned;

    public string? Service { get; init; }

    public string? Priority { get; init; }

    public DateTimeOffset? DueAt { get; init; }

    public DateTimeOffset? RaisedAt { get; init; }

    public string? Rule { get; init; }

    public ImmutableList<string> Needs { get; init; } = [];

    public Guid? PreviousReferralId { get; init; }

    /// <summary>Later contacts from the resident that joined this referral, in the order they joined.</summary>
    public ImmutableList<Guid> AttachedContactIds { get; init; } = [];

    /// <summary>Who holds the work: the worker who claimed it or was assigned it.</summary>
    public string? ClaimedBy { get; init; }

    /// <summary>Since when <see cref="ClaimedBy"/> has held it.</summary>
    public DateTimeOffset? HeldSince { get; init; }

    /// <summary>Raised, claimed or accepted: work a team still has to do.</summary>
    public bool IsOpen => Exists && !IsFinished;

    /// <summary>A flag rather than a status: being late does not change who holds the work or what they must do.</summary>
    public bool IsOverdue { get; init; }

    /// <summary>Null once the data subject is erased (or when read without opening the events).</summary>
    public string? Outcome { get; init; }

    /// <summary>Null once the data subject is erased (or when read without opening the events).</summary>
    public string? ReturnReason { get; init; }

    public string? SuggestedService { get; init; }

    public string? ReturnedBy { get; init; }

    public DateTimeOffset? ReturnedAt { get; init; }

    /// <summary>The case's notes in the order they were written.</summary>
    public ImmutableList<CaseNote> Notes { get; init; } = [];

    public long Version { get; init; }
}

/// <summary>A note on a case: <see cref="Text"/> is null once the resident is erased (or when read without opening the events).</summary>
public sealed record CaseNote(Guid NoteId, string? Text, string By, DateTimeOffset At);
