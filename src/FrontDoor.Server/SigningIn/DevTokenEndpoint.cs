using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;

namespace FrontDoor.Server.SigningIn;

/// <summary>
/// <c>POST /api/dev/token</c>: a token for a demo user, for the embedded default's sign-in page, scripts and tests.
/// Outside Development mode it does not exist (404), whatever is asked of it.
/// </summary>
public static class DevTokenEndpoint
{
    public static IEndpointRouteBuilder MapDevToken(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/dev/token", HandleAsync)
            .AllowAnonymous()
            .WithName("IssueDevelopmentToken")
            .WithTags("Sign-in")
            .Accepts<DevTokenRequest>("application/json")
            .Produces<DevTokenResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IServiceProvider services, CancellationToken cancellationToken)
    {
        var tokens = services.GetService<DevelopmentTokens>();
        if (tokens is null)
        {
            return TypedResults.Problem(title: "Not found", statusCode: StatusCodes.Status404NotFound);
        }

        var (request, problem) = await JsonBody.ReadAsync<DevTokenRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (request!.Role is null || !Roles.All.Contains(request.Role))
        {
            return JsonBody.Invalid("role", $"A role is one of {string.Join(", ", Roles.All)}.");
        }

        if (request.Role == Roles.Worker && !Vocabulary.IsKnownService(request.Service))
        {
            return JsonBody.Invalid("service", $"A worker works for one service: {string.Join(", ", Vocabulary.Services)}.");
        }

        if (request.Role != Roles.Worker && request.Service is not null)
        {
            return JsonBody.Invalid("service", "Only workers belong to a service.");
        }

        if (request.Desk is < 1 or > DemoUser.MaxDesk)
        {
            return JsonBody.Invalid("desk", $"A desk is numbered from 1 to {DemoUser.MaxDesk}.");
        }

        var user = DemoUser.For(request.Role, request.Service, request.Desk);
        return TypedResults.Ok(new DevTokenResponse(tokens.Issue(user), user.Id, user.Name, user.Role, user.Service));
    }
}

public sealed record DevTokenRequest(string? Role, string? Service, int? Desk = null);

public sealed record DevTokenResponse(string Token, string UserId, string Name, string Role, string? Service);
