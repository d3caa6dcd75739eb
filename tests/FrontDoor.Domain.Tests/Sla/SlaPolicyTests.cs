using FrontDoor.Domain.Sla;
using FrontDoor.Domain.Tests.Support;

namespace FrontDoor.Domain.Tests.Sla;

public sealed class SlaPolicyTests
{
    private static readonly SlaPolicy NoHolidays = SlaPolicy.Default with { BankHolidays = new HashSet<DateOnly>() };
    private static readonly DateTimeOffset Friday = Times.Day(2025, 3, 7, 16, 30);

    [Fact]
    public void TestDatesAreTheWeekdaysTheirNamesClaim()
    {
        Assert.Equal(DayOfWeek.Monday, Times.Monday.DayOfWeek);
        Assert.Equal(DayOfWeek.Friday, Friday.DayOfWeek);
    }

    [Fact]
    public void ImmediateIsOneElapsedHour() =>
        Assert.Equal(Friday.AddHours(1), SlaPolicy.Default.DueAt(PriorityCodes.Immediate, Friday));

    [Fact]
    public void UrgentIsTwentyFourElapsedHoursEvenOverAWeekend() =>
        Assert.Equal(Times.Day(2025, 3, 8, 16, 30), SlaPolicy.Default.DueAt(PriorityCodes.Urgent, Friday));

    [Fact]
    public void StandardIsFiveWorkingDays() =>
        Assert.Equal(Times.Day(2025, 3, 10), SlaPolicy.Default.DueAt(PriorityCodes.Standard, Times.Monday));

    [Fact]
    public void StandardFromFridaySkipsTheWeekendToNextFriday() =>
        Assert.Equal(Times.Day(2025, 3, 14, 16, 30), NoHolidays.DueAt(PriorityCodes.Standard, Friday));

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    public void StandardStartedAtTheWeekendLandsOnTheFollowingFriday(int day) =>
        Assert.Equal(Times.Day(2025, 3, 14, 11), NoHolidays.DueAt(PriorityCodes.Standard, Times.Day(2025, 3, day, 11)));

    [Fact]
    public void ConfiguredBankHolidaysAreSkipped()
    {
        var withHoliday = NoHolidays with { BankHolidays = new HashSet<DateOnly> { new(2025, 3, 10) } };

        Assert.Equal(Times.Day(2025, 3, 17, 16, 30), withHoliday.DueAt(PriorityCodes.Standard, Friday));
    }

    [Fact]
    public void DefaultSkipsEasterBankHolidays() =>
        Assert.Equal(Times.Day(2025, 4, 28), SlaPolicy.Default.DueAt(PriorityCodes.Standard, Times.Day(2025, 4, 17)));

    [Fact]
    public void DefaultSkipsTheChristmasSubstituteDay() =>
        Assert.Equal(Times.Day(2026, 12, 29), SlaPolicy.Default.AddWorkingDays(Times.Day(2026, 12, 24), 1));

    [Fact]
    public void EveryDefaultBankHolidayFallsOnAWeekdayBecauseSubstituteDaysAreListed() =>
        Assert.All(UkBankHolidays.EnglandAndWales, d => Assert.DoesNotContain(d.DayOfWeek, new[] { DayOfWeek.Saturday, DayOfWeek.Sunday }));

    [Fact]
    public void TargetsAreConfigurable()
    {
        var tighter = SlaPolicy.Default with { Immediate = TimeSpan.FromMinutes(30), Urgent = TimeSpan.FromHours(4), StandardWorkingDays = 2 };

        Assert.Equal(Times.Monday.AddMinutes(30), tighter.DueAt(PriorityCodes.Immediate, Times.Monday));
        Assert.Equal(Times.Monday.AddHours(4), tighter.DueAt(PriorityCodes.Urgent, Times.Monday));
        Assert.Equal(Times.Day(2025, 3, 5), tighter.DueAt(PriorityCodes.Standard, Times.Monday));
    }

    [Fact]
    public void UnknownPriorityHasNoTarget() =>
        Assert.Equal("sla.unknown-priority", Assert.Throws<DomainException>(() => SlaPolicy.Default.DueAt("asap", Times.Monday)).Code);

    [Fact]
    public void FollowUpsDefaultToThreeWorkingDays() =>
        Assert.Equal(Times.Day(2025, 3, 11), SlaPolicy.Default.FollowUpDueAt(Times.Day(2025, 3, 6)));

    [Fact]
    public void ZeroWorkingDaysIsTheSameMoment() =>
        Assert.Equal(Friday, SlaPolicy.Default.AddWorkingDays(Friday, 0));

    [Fact]
    public void NegativeWorkingDaysAreRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SlaPolicy.Default.AddWorkingDays(Friday, -1));

    [Fact]
    public void WorkingDaysAreJudgedInTheTimestampsOwnOffset()
    {
        // 23:30 on Friday in UTC is already Saturday in UK summer time.
        var fridayNightUtc = new DateTimeOffset(2025, 6, 6, 23, 30, 0, TimeSpan.Zero);
        var sameMomentInBst = fridayNightUtc.ToOffset(TimeSpan.FromHours(1));

        Assert.Equal(new DateTimeOffset(2025, 6, 9, 23, 30, 0, TimeSpan.Zero), SlaPolicy.Default.AddWorkingDays(fridayNightUtc, 1));
        Assert.Equal(new DateTimeOffset(2025, 6, 9, 0, 30, 0, TimeSpan.FromHours(1)), SlaPolicy.Default.AddWorkingDays(sameMomentInBst, 1));
    }
}
