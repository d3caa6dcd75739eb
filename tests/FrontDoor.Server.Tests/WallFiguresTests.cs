using FrontDoor.Contracts;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// The wall's day: contacts by channel, site and hour and referrals by hour, counted by Marten's async daemon in the
/// council's time, beside the figures about work as it stands, read from the queues' own rows.
/// </summary>
public sealed class WallFiguresTests
{
    [Fact]
    public async Task The_walls_day_is_the_councils_so_a_contact_half_an_hour_after_midnight_in_summer_counts_on_the_new_day_at_hour_0()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);

        // 23:30 UTC on 1 June is 00:30 on 2 June in London (British Summer Time).
        app.Clock.Advance(new DateTimeOffset(2027, 6, 1, 23, 30, 0, TimeSpan.Zero) - app.Clock.GetUtcNow());
        await api.RecordAsync(Api.Contact("phone", ["homelessness"], "Locked out by the landlord tonight."));
        await api.RecordAsync(Api.Contact("lets-talk", ["money-and-debt"], "Came in about arrears.", siteId: "lets-talk-blacon"));
        await api.RecordAsync(Api.Contact("web", ["food-and-fuel", "money-and-debt"], "No gas on the prepayment meter."));
        await app.CaughtUpAsync();

        var figures = await api.FiguresAsync();
        Assert.Equal(3, figures.ContactsToday);
        Assert.Equal(3, figures.ContactsByHour[0]);
        Assert.Equal(3, figures.ContactsByHour.Sum());
        Assert.Equal(
            [new CountBy("lets-talk", 1), new CountBy("phone", 1), new CountBy("web", 1)],
            figures.ContactsTodayByChannel);
        Assert.Equal([new CountBy("lets-talk-blacon", 1)], figures.ContactsTodayBySite);

        await app.SettledAsync();
    }

    [Fact]
    public async Task The_walls_day_counts_the_days_contacts_and_referrals_by_hour_and_not_yesterdays()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);

        await api.RecordAsync(Api.Contact("phone", ["homelessness", "money-and-debt"], "Sleeping at a friend's, has to leave; owes rent."));
        await app.CaughtUpAsync();
        var today = await api.FiguresAsync();
        Assert.Equal(1, today.ContactsToday);

        // A referral's hour is its own, in London's time, like a contact's.
        var raisedAt = today.Services.Single(s => s.Service == "housing").OldestWaitingSince!.Value;
        var hour = TimeZoneInfo.ConvertTime(raisedAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).Hour;
        Assert.Equal(2, today.Services.Sum(s => s.QueueDepth));
        Assert.Equal(2, today.ReferralsByHour.Sum());
        Assert.Equal(2, today.ReferralsByHour[hour]);
        Assert.Equal(1, today.ContactsByHour.Sum());

        app.Clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = await api.FiguresAsync();
        Assert.Equal(0, tomorrow.ContactsToday);
        Assert.Empty(tomorrow.ContactsTodayByChannel);
        Assert.Equal(0, tomorrow.ContactsByHour.Sum());
        Assert.Equal(0, tomorrow.ReferralsByHour.Sum());
        Assert.Equal(1, tomorrow.Services.Single(s => s.Service == "housing").QueueDepth);
        await app.SettledAsync();
    }
}
