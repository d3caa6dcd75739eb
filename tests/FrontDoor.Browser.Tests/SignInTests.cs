using FrontDoor.Testing;
using Microsoft.Playwright;

namespace FrontDoor.Browser.Tests;

public sealed class SignInTests(Browser browser) : IClassFixture<Browser>
{
    /// <summary>
    /// Each of these is a way of spelling another site that a prefix check on the text lets through: browsers read a
    /// backslash as a slash and drop tabs and newlines before they resolve an address.
    /// </summary>
    public static TheoryData<string> OffSite => new(
        "/\\evil.example/",
        "/\\/evil.example/",
        "/\t/evil.example/",
        "/\n/evil.example/",
        "//evil.example/",
        "\\\\evil.example/",
        "https://evil.example/",
        "javascript:alert(document.domain)",
        "/.//evil.example/");

    [Theory]
    [MemberData(nameof(OffSite))]
    public async Task Bug_20_sign_in_never_sends_the_user_to_another_site(string next)
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.NewContextAsync(app.Address!);
        // Nothing leaves the machine: any other site answers with a marker page, so leaving is seen, not timed out.
        await context.RouteAsync(url => !url.StartsWith(app.Address!.ToString(), StringComparison.Ordinal), route =>
            route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = "<p>off-site</p>" }));
        var dialogs = 0;
        context.Page += (_, opened) => opened.Dialog += (_, dialog) => { Interlocked.Increment(ref dialogs); _ = dialog.DismissAsync(); };
        var page = await Browser.SignInAndLeaveAsync(context, "agent", next);

        var landed = new Uri(page.Url);
        Assert.Equal(app.Address!.Authority, landed.Authority);
        Assert.Equal("/agent/", landed.AbsolutePath);
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task Bug_20_sign_in_still_returns_to_a_page_on_this_site()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true);
        await using var context = await browser.NewContextAsync(app.Address!);
        var page = await Browser.SignInAsync(context, "manager", next: "/residents/?from=wall#find");

        var landed = new Uri(page.Url);
        Assert.Equal(app.Address!.Authority, landed.Authority);
        Assert.Equal("/residents/?from=wall#find", landed.PathAndQuery + landed.Fragment);
    }
}
