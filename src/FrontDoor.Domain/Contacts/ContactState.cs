using System.Collections.Immutable;

namespace FrontDoor.Domain.Contacts;

/// <summary>A resident's answer about sharing on a contact: yes or no, how it was obtained, and when.</summary>
public sealed record SharingAnswer(Guid ResidentId, bool Agreed, string Method, DateTimeOffset At);

/// <summary>A referral the contact is waiting on.</summary>
public sealed record ContactReferralLink(Guid ReferralId, string Service, string Priority, DateTimeOffset DueAt);

public sealed record ContactState
{
    public static ContactState Initial { get; } = new();

    public Guid ContactId { get; init; }

    public string Status { get; init; } = ContactStatus.None;

    public bool Exists => Status != ContactStatus.None;

    public bool IsClosed => Status == ContactStatus.Closed;

    public string? Channel { get; init; }

    public string? SiteId { get; init; }

    /// <summary>The data subject the contact's personal data is sealed under; for a web contact, a record of its own.</summary>
    public Guid? ResidentId { get; init; }

    /// <summary>The known resident an unverified contact's details match, until staff confirm it.</summary>
    public Guid? SuggestedResidentId { get; init; }

    /// <summary>The resident staff confirmed the contact is from.</summary>
    public Guid? ConfirmedResidentId { get; init; }

    /// <summary>Whose contact this is as far as "tell us once" is concerned.</summary>
    public Guid? ResidentOfRecord => ConfirmedResidentId ?? ResidentId;

    /// <summary>Null once the summary's key is gone (or when read without opening the sealed summary).</summary>
    public string? Summary { get; init; }

    public bool PersonalDataErased { get; init; }

    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>What the resident said first, kept apart from <see cref="Needs"/> which triage may revise.</summary>
    public ImmutableList<string> StatedNeeds { get; init; } = [];

    public ImmutableList<string> Needs { get; init; } = [];

    public bool NeedsAssessed { get; init; }

    public bool Safeguarding { get; init; }

    public string? HighestPriority { get; init; }

    public bool ConsentToShare { get; init; }

    public string? ConsentObtainedBy { get; init; }

    /// <summary>When the resident answered the sharing question on this contact (received, or recorded again since).</summary>
    public DateTimeOffset? ConsentAnsweredAt { get; init; }

    /// <summary>What the resident said about sharing when staff confirmed who they are, and when.</summary>
    public bool? ConfirmedConsentToShare { get; init; }

    public DateTimeOffset? ConfirmedAt { get; init; }

    /// <summary>Every service the contact has been referred to, in order, each once.</summary>
    public ImmutableList<string> ReferredServices { get; init; } = [];

    /// <summary>
    /// What the resident of record said about sharing their details "with the teams we refer them to", and when:
    /// what they told staff who confirmed who they are, else the contact's own answer (a web form's, or spoken).
    /// Null while the contact has no resident of record.
    /// </summary>
    public SharingAnswer? SharingAnswer =>
        ResidentOfRecord is not { } resident || ReceivedAt is not { } received ? null
        : ConfirmedResidentId is not null && ConfirmedConsentToShare is { } confirmed ? new SharingAnswer(resident, confirmed, ConsentMethods.Spoken, ConfirmedAt ?? received)
        : new SharingAnswer(resident, ConsentToShare, Channel == ChannelCodes.Web ? ConsentMethods.WebForm : ConsentMethods.Spoken, ConsentAnsweredAt ?? received);

    public ImmutableList<ContactReferralLink> OpenReferrals { get; init; } = [];

    public ImmutableList<Guid> CompletedReferralIds { get; init; } = [];

    /// <summary>Referrals that ended by being returned; they no longer count as live work.</summary>
    public ImmutableList<Guid> ClosedReferralIds { get; init; } = [];

    public ImmutableList<string> Signposts { get; init; } = [];

    public bool Resolved { get; init; }

    public string? ResolutionNote { get; init; }

    /// <summary>The front-door triage team owns the contact and nobody has acted on it since.</summary>
    public bool AwaitingTriage { get; init; }

    public string? TriageReason { get; init; }

    public string FollowUp { get; init; } = FollowUpStates.None;

    public DateTimeOffset? FollowUpDueAt { get; init; }

    public string? FollowUpReason { get; init; }

    public bool? LastFollowUpHelped { get; init; }

    /// <summary>Number of events folded; the expected version for optimistic concurrency.</summary>
    public long Version { get; init; }

    public bool HasOwner =>
        !OpenReferrals.IsEmpty || !CompletedReferralIds.IsEmpty || !Signposts.IsEmpty || Resolved || AwaitingTriage;

    public bool IsKnownReferral(Guid referralId) =>
        OpenReferrals.Exists(r => r.ReferralId == referralId)
        || CompletedReferralIds.Contains(referralId)
        || ClosedReferralIds.Contains(referralId);

    public ContactReferralLink? FindOpenReferral(Guid referralId) =>
        OpenReferrals.Find(r => r.ReferralId == referralId);

    /// <summary>Reasons the contact cannot be closed yet; empty when it can.</summary>
    public IReadOnlyList<string> CloseBlockers()
    {
        var blockers = new List<string>();
        if (!OpenReferrals.IsEmpty)
        {
            blockers.Add($"{OpenReferrals.Count} referral(s) not yet completed");
        }

        if (FollowUp != FollowUpStates.Done)
        {
            blockers.Add("the follow-up with the resident has not been done");
        }

        if (AwaitingTriage)
        {
            blockers.Add("it is waiting for front-door triage");
        }

        return blockers;
    }
}
