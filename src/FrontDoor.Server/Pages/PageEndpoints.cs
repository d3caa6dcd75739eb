using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using FrontDoor.Domain;

namespace FrontDoor.Server.Pages;

/// <summary>
/// The staff pages: static shells in the shared layout. They are public like any static file; everything they show
/// comes from the API and the hub, which check who is asking.
/// </summary>
public static partial class PageEndpoints
{
    private static readonly ConcurrentDictionary<string, string> Rendered = new(StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        // Routing matches a path with or without its trailing slash, so "/agent" serves "/agent/" too.
        Map(app, "/agent", "agent", "Record a contact", "/js/agent.js", live: false);
        Map(app, "/wall", "wall", "Manager wall", "/js/wall.js", live: true);
        Map(app, "/residents", "residents", "Residents' records", "/js/residents.js", live: false);
        Map(app, "/sign-in", "sign-in", "Sign in", "/js/sign-in.js", live: false);
        Map(app, "/my-work", "my-work", "My work", "/js/my-work.js", live: true);
        Map(app, "/work", "work", "Work", "/js/work.js", live: true);
        app.MapGet("/queues/{service}", (string service, IWebHostEnvironment environment) =>
                Vocabulary.IsKnownService(service)
                    ? Page(environment, "queue", "Team queue", "/js/queue.js", live: true)
                    : Results.Problem(title: "Not found", detail: $"There is no {service} queue.", statusCode: StatusCodes.Status404NotFound))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet("/teams/{service}", (string service, IWebHostEnvironment environment) =>
                Vocabulary.IsKnownService(service)
                    ? Page(environment, "team", "Who holds what", "/js/team.js", live: true)
                    : Results.Problem(title: "Not found", detail: $"There is no {service} team.", statusCode: StatusCodes.Status404NotFound))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet("/cases/{referralId:guid}", (IWebHostEnvironment environment) => Page(environment, "case", "Case", "/js/case.js", live: true))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet("/", () => Results.Redirect("/sign-in/")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, string path, string shell, string title, string module, bool live) =>
        app.MapGet(path, (IWebHostEnvironment environment) => Page(environment, shell, title, module, live)).AllowAnonymous().ExcludeFromDescription();

    private static IResult Page(IWebHostEnvironment environment, string shell, string title, string module, bool live)
    {
        var html = Rendered.GetOrAdd(shell, _ =>
            Layout.Render(title, WithIncludes(environment, File.ReadAllText(ShellPath(environment, shell))), module, live, staff: shell != "sign-in"));
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    private static string ShellPath(IWebHostEnvironment environment, string shell) =>
        Path.Combine(environment.ContentRootPath, "Pages", "Shells", shell + ".html");

    /// <summary>A part two pages share (the forms a team fills in on the queue and on the case page), written once.</summary>
    private static string WithIncludes(IWebHostEnvironment environment, string shell) =>
        IncludeMarker().Replace(shell, match => File.ReadAllText(ShellPath(environment, "_" + match.Groups[1].Value)).TrimEnd());

    [GeneratedRegex("<!-- include: ([a-z-]+) -->")]
    private static partial Regex IncludeMarker();
}
