namespace FrontDoor.Contracts;

/// <summary>The manager's figures, derived from the log at <c>position</c>.</summary>
public sealed record FiguresResponse(
    DateTimeOffset At,
    long Position,
    IReadOnlyList<ServiceFigures> Services,
    int OverdueReferrals,
    int ReturnedReferrals,
    int FollowUpsDue,
    int ContactsWithoutOwner,
    int ContactsToday,
    IReadOnlyList<CountBy> ContactsTodayByChannel,
    IReadOnlyList<CountBy> ContactsTodayBySite,
    IReadOnlyList<int> ContactsByHour,
    IReadOnlyList<int> ReferralsByHour);

public sealed record ServiceFigures(string Service, int QueueDepth, int Unclaimed, int Overdue, DateTimeOffset? OldestWaitingSince);

public sealed record CountBy(string Key, int Count);
