namespace FrontDoor.Contracts;

/// <summary>
/// The manager's figures, derived from the log at <c>position</c>. <c>unclaimedUrgent</c>: open safeguarding or
/// immediate referrals nobody holds, across services (the one figure that must always be acted on at once).
/// </summary>
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
    IReadOnlyList<int> ReferralsByHour,
    int UnclaimedUrgent = 0);

public sealed record ServiceFigures(string Service, int QueueDepth, int Unclaimed, int Overdue, DateTimeOffset? OldestWaitingSince);

public sealed record CountBy(string Key, int Count);
