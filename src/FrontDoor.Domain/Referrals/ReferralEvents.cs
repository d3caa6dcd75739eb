namespace FrontDoor.Domain.Referrals;

/// <summary>Every referral event names its contact so downstream handlers can update the contact without a lookup.</summary>
public interface IReferralEvent : IDomainEvent
{
    Guid ReferralId { get; }

    Guid ContactId { get; }
}

/// <summary><see cref="Rule"/> says why the referral exists, e.g. "need:homelessness" or "returned-from:housing".</summary>
public sealed record ReferralRaised(
    Guid ReferralId,
    Guid ContactId,
    string Service,
    string Priority,
    DateTimeOffset DueAt,
    string Rule,
    IReadOnlyList<string> Needs,
    Guid? PreviousReferralId,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-raised.v1";
}

public sealed record ReferralClaimed(
    Guid ReferralId,
    Guid ContactId,
    string By,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-claimed.v1";
}

public sealed record ReferralAccepted(
    Guid ReferralId,
    Guid ContactId,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-accepted.v1";
}

/// <summary><see cref="Service"/> is the service handing the work back.</summary>
public sealed record ReferralReturned(
    Guid ReferralId,
    Guid ContactId,
    string Service,
    string Reason,
    string? SuggestedService,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-returned.v1";
}

public sealed record ReferralOverdue(
    Guid ReferralId,
    Guid ContactId,
    DateTimeOffset DueAt,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-overdue.v1";
}

public sealed record ReferralCompleted(
    Guid ReferralId,
    Guid ContactId,
    string Outcome,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-completed.v1";
}

/// <summary>A manager moved the work to another service; <see cref="By"/> is that manager.</summary>
public sealed record ReferralReassigned(
    Guid ReferralId,
    Guid ContactId,
    string FromService,
    string ToService,
    string By,
    string Actor,
    DateTimeOffset At) : IReferralEvent, INamedEvent
{
    public static string EventType => "referral-reassigned.v1";
}
