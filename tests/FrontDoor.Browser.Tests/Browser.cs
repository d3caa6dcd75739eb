using Microsoft.Playwright;

namespace FrontDoor.Browser.Tests;

/// <summary>Debian's Chromium, headless, shared by the tests of a class; Playwright's own browser download is never used.</summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    public static string ScreenshotFolder { get; } = Path.Combine(FrontDoor.Testing.TestPostgres.RepositoryRoot(), ".artifacts", "screenshots");

    public async ValueTask InitializeAsync()
    {
        // A live update normally lands in well under a second; the generous ceiling is for a busy CI machine.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("FRONTDOOR_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>A fresh context (its own session storage: its own signed-in user), for pages on <paramref name="baseAddress"/>.</summary>
    public Task<IBrowserContext> NewContextAsync(Uri baseAddress, bool bypassCsp = false) =>
        Chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), BypassCSP = bypassCsp, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });

    /// <summary>Signs in through the sign-in page, as a person would, and lands on the role's home page.</summary>
    /// <remarks>
    /// On a loaded CI machine a sign-in has, rarely, neither moved on nor let anything be read from its page for
    /// a minute, while the same step passes everywhere else. Sign-in is the tests' way in, not what most of them
    /// test, so a stalled attempt is written to the test output with everything the page reported, and signing in
    /// is tried once more on a fresh page; the page's own script still does the redirect either time.
    /// </remarks>
    public static Task<IPage> SignInAsync(IBrowserContext context, string role, string? service = null, string? next = null, int? desk = null) =>
        SignInAsync(context, role, service, next, ReadyAsync, desk);

    /// <summary>
    /// Signs in and stops wherever the sign-in page's script sent the browser, ready or not: for the tests of where it
    /// sends it. The same report and one retry as <see cref="SignInAsync(IBrowserContext, string, string?, string?, int?)"/>
    /// cover a stalled sign-in page; a page that did move on, wherever to, is never retried.
    /// </summary>
    public static Task<IPage> SignInAndLeaveAsync(IBrowserContext context, string role, string? next) =>
        SignInAsync(context, role, null, next, static _ => Task.CompletedTask, null);

    private static async Task<IPage> SignInAsync(IBrowserContext context, string role, string? service, string? next, Func<IPage, Task> landed, int? desk)
    {
        var (page, stalled) = await TrySignInAsync(context, role, service, next, landed, desk);
        if (stalled is null)
        {
            return page;
        }

        TestContext.Current.SendDiagnosticMessage(stalled);
        Console.Error.WriteLine(stalled);
        await page.CloseAsync();
        var (retried, stalledAgain) = await TrySignInAsync(context, role, service, next, landed, desk);
        return stalledAgain is null ? retried : throw new TimeoutException(stalled + Environment.NewLine + "Tried again: " + stalledAgain);
    }

    private static async Task<(IPage Page, string? Stalled)> TrySignInAsync(IBrowserContext context, string role, string? service, string? next, Func<IPage, Task> landed, int? desk)
    {
        var page = await context.NewPageAsync();
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, message) => seen.Enqueue($"console {message.Type}: {message.Text}");
        page.PageError += (_, error) => seen.Enqueue("page error: " + error);
        page.Crash += (_, _) => seen.Enqueue("the page crashed");
        page.RequestFailed += (_, request) => seen.Enqueue($"request failed: {request.Method} {request.Url} {request.Failure}");
        page.Response += (_, response) => seen.Enqueue($"response: {response.Status} {response.Request.Method} {response.Url}");
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) { seen.Enqueue("navigated: " + frame.Url); } };

        await page.GotoAsync("/sign-in/" + (next is null ? string.Empty : "?next=" + Uri.EscapeDataString(next)), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await ReadyAsync(page);
        await page.SelectOptionAsync("#role", role);
        if (service is not null)
        {
            await page.SelectOptionAsync("#service", service);
        }

        if (desk is { } number)
        {
            await page.FillAsync("#desk", number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // Readiness is the page's own signal (its script has run and wired everything), not the load event, which
        // can lag behind on a busy machine for reasons that say nothing about the page.
        try
        {
            await FollowAsync(page, () => page.ClickAsync("button[type=submit]"), url => !url.Contains("/sign-in/", StringComparison.Ordinal));
            await landed(page);
            return (page, null);
        }
        catch (TimeoutException ex)
        {
            return (page, await StalledAsync(page, role, ex, seen));
        }
    }

    private static async Task<string> StalledAsync(IPage page, string role, TimeoutException ex, IEnumerable<string> seen)
    {
        // What the page told the user is the first thing to know when sign-in does not move on.
        string said;
        try
        {
            said = await page.Locator("#result").TextContentAsync(new LocatorTextContentOptions { Timeout = 3_000 }) ?? string.Empty;
        }
        catch (TimeoutException)
        {
            said = "(nothing could be read from the page)";
        }

        return $"Sign-in as {role} stalled on {page.Url} ({ex.Message.Split('\n')[0]}); the page said: '{said}'; it reported: {string.Join(" | ", seen)}";
    }

    private static readonly string AxeScript = Path.Combine(FrontDoor.Testing.TestPostgres.RepositoryRoot(), "src", "FrontDoor.Server", "node_modules", "axe-core", "axe.min.js");

    /// <summary>
    /// Runs axe on the page as it stands (or on the part <paramref name="selector"/> picks) and fails on any serious or
    /// critical violation. The page's context must bypass the CSP (<see cref="NewContextAsync"/>), which rightly forbids
    /// the injected script.
    /// </summary>
    public static async Task AssertNoSeriousAccessibilityViolationAsync(IPage page, string? selector = null)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxeScript });
        var violations = await page.EvaluateAsync<System.Text.Json.JsonElement>("async (selector) => (await axe.run(selector ?? document, { resultTypes: ['violations'] })).violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary).join(' | '))", selector);
        Assert.True(violations.GetArrayLength() == 0, violations.ToString());
    }

    /// <summary>Waits until the page's script has wired its controls (and, for live pages, joined the hub).</summary>
    /// <summary>
    /// Does what moves the page (a key on a link, a click, a script) and waits until the browser has committed to the
    /// page at <paramref name="url"/>. The wait starts before the action: started after it, a navigation that commits
    /// at once can pass between the wait's look at the address and its listening, and the wait then times out on a page
    /// that arrived long ago (seen: a sign-in "stalled" on the page it had reached, a link followed and never seen).
    /// </summary>
    public static Task FollowAsync(IPage page, Func<Task> action, string url) =>
        FollowAsync(page.WaitForURLAsync(url, Arrival), action);

    /// <inheritdoc cref="FollowAsync(IPage, Func{Task}, string)"/>
    public static Task FollowAsync(IPage page, Func<Task> action, Func<string, bool> url) =>
        FollowAsync(page.WaitForURLAsync(url, Arrival), action);

    private static readonly PageWaitForURLOptions Arrival = new() { WaitUntil = WaitUntilState.Commit, Timeout = 20_000 };

    private static async Task FollowAsync(Task arrived, Func<Task> action)
    {
        await action();
        await arrived;
    }

    public static Task ReadyAsync(IPage page) => page.Locator("body[data-ready=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 15_000 });

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
        // The README shows one of each page; the PostgreSQL runs look the same and stay in the test output only.
        if (Environment.GetEnvironmentVariable("FRONTDOOR_UPDATE_SCREENSHOTS") == "1" && !name.EndsWith("-postgres", StringComparison.Ordinal))
        {
            var docs = Path.Combine(FrontDoor.Testing.TestPostgres.RepositoryRoot(), "docs", "screenshots");
            Directory.CreateDirectory(docs);
            File.Copy(Path.Combine(ScreenshotFolder, name + ".png"), Path.Combine(docs, name.Replace("-sqlite", string.Empty, StringComparison.Ordinal) + ".png"), overwrite: true);
        }
    }
}
