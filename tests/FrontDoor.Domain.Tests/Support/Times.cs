namespace FrontDoor.Domain.Tests.Support;

internal static class Times
{
    /// <summary>Monday 3 March 2025, 10:00 UTC: no bank holiday nearby, so working-day sums are plain.</summary>
    public static readonly DateTimeOffset Monday = new(2025, 3, 3, 10, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Now = Monday;

    public static DateTimeOffset Day(int year, int month, int day, int hour = 10, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
