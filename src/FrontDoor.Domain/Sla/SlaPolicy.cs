namespace FrontDoor.Domain.Sla;

/// <summary>
/// Response targets per priority. Immediate and urgent run on elapsed time because risk does not pause
/// for weekends; standard work runs on working days because that is what teams are staffed for.
/// </summary>
/// <remarks>
/// Working days are judged on the calendar date in the offset carried by the timestamp, so callers that
/// care about the UK clock change should pass times in UK local offset.
/// </remarks>
public sealed record SlaPolicy(
    TimeSpan Immediate,
    TimeSpan Urgent,
    int StandardWorkingDays,
    IReadOnlySet<DateOnly> BankHolidays,
    int FollowUpWorkingDays)
{
    public static SlaPolicy Default { get; } = new(
        Immediate: TimeSpan.FromHours(1),
        Urgent: TimeSpan.FromHours(24),
        StandardWorkingDays: 5,
        BankHolidays: UkBankHolidays.EnglandAndWales,
        FollowUpWorkingDays: 3);

    public DateTimeOffset DueAt(string priority, DateTimeOffset raisedAt) => priority switch
    {
        PriorityCodes.Immediate => raisedAt + Immediate,
        PriorityCodes.Urgent => raisedAt + Urgent,
        PriorityCodes.Standard => AddWorkingDays(raisedAt, StandardWorkingDays),
        _ => throw new DomainException("sla.unknown-priority", $"There is no response target for priority '{priority}'."),
    };

    /// <summary>When a check-back with the resident falls due after work is finished.</summary>
    public DateTimeOffset FollowUpDueAt(DateTimeOffset from) => AddWorkingDays(from, FollowUpWorkingDays);

    public bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !BankHolidays.Contains(date);

    /// <summary>
    /// Steps forward one calendar day at a time and counts only working days, keeping the time of day.
    /// A clock started at a weekend therefore lands on the same working day as one started the Friday before.
    /// </summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset from, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var current = from;
        var remaining = days;
        while (remaining > 0)
        {
            current = current.AddDays(1);
            if (IsWorkingDay(DateOnly.FromDateTime(current.DateTime)))
            {
                remaining--;
            }
        }

        return current;
    }
}
