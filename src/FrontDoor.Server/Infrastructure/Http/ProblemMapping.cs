using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace FrontDoor.Server.Infrastructure.Http;

/// <summary>
/// Turns the errors a request can legitimately cause into ProblemDetails: a rule of the domain refused it (409),
/// someone changed the resource since the client read it (412 with If-Match, else 409), or the request could
/// not be read (400). Anything else is a fault of ours and stays a 500 without internals.
/// </summary>
public sealed class ProblemMapping : IExceptionHandler
{
    private readonly IProblemDetailsService _problems;
    private readonly IStaffDirectory? _staff;

    public ProblemMapping(IProblemDetailsService problems, IStaffDirectory? staff = null)
    {
        _problems = problems;
        _staff = staff;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DomainException domain => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The request conflicts with the record's current state.",
                Detail = domain.Message,
                Extensions = { ["code"] = domain.Code },
            },
            WrongExpectedVersionException stale => new ProblemDetails
            {
                Status = httpContext.Request.Headers.IfMatch.Count > 0 ? StatusCodes.Status412PreconditionFailed : StatusCodes.Status409Conflict,
                Title = "Someone else changed this record first.",
                Detail = $"It is now at version {stale.ActualVersion}; read it again and retry if the change still makes sense.",
                Extensions = { ["code"] = "concurrency.stale-version", ["currentVersion"] = stale.ActualVersion },
            },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request could not be read.",
                Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request is malformed.",
            },
            _ => null,
        };

        if (problem is null)
        {
            return false;
        }

        if (exception is DomainException { Actors.Count: > 0 } named)
        {
            await NamePeopleAsync(problem, named.Actors, cancellationToken).ConfigureAwait(false);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await _problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }).ConfigureAwait(false);
    }

    /// <summary>
    /// A refusal that names someone ("held by …") says who by name, and carries their id and name as
    /// <c>holder</c> and <c>holderName</c> (for each person it names), so a page can offer to ask them.
    /// </summary>
    private async Task NamePeopleAsync(ProblemDetails problem, IReadOnlyDictionary<string, string> actors, CancellationToken cancellationToken)
    {
        var names = _staff is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : await _staff.NamesAsync(actors.Values, cancellationToken).ConfigureAwait(false);
        foreach (var (role, actor) in actors)
        {
            problem.Extensions[role] = actor;
            if (names.TryGetValue(actor, out var name))
            {
                problem.Extensions[role + "Name"] = name;
                problem.Detail = problem.Detail?.Replace(actor, name, StringComparison.Ordinal);
            }
        }
    }
}
