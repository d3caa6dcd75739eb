using FrontDoor.Domain;

namespace FrontDoor.Server.Pages;

/// <summary>
/// Page shells with a route value in their path. The shells are static and public (like any static file); all the
/// data they show comes from the API and the hub, which check who is asking.
/// </summary>
public static class PageEndpoints
{
    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/queues/{service}", (string service, IWebHostEnvironment environment) =>
                Vocabulary.IsKnownService(service)
                    ? Results.File(Path.Combine(environment.WebRootPath, "queue.html"), "text/html; charset=utf-8")
                    : Results.Problem(title: "Not found", detail: $"There is no {service} queue.", statusCode: StatusCodes.Status404NotFound))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet("/", () => Results.Redirect("/sign-in/")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
