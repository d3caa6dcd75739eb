using System.Security.Claims;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Infrastructure.Http;

/// <summary>What one request asks of one stream; <see cref="StreamCommands.ChangeAsync"/> carries it out.</summary>
public sealed class StreamCommand<TState>
{
    /// <summary>Whether the signed-in user may act on this record; a refusal is the answer as it stands.</summary>
    public Func<ClaimsPrincipal, TState, IResult?>? Authorise { get; init; }

    /// <summary>What is wrong with the request, found at the edge: field name → messages.</summary>
    public IReadOnlyDictionary<string, string[]>? Invalid { get; init; }

    public required Func<TState, DateTimeOffset, IReadOnlyList<object>> Decide { get; init; }

    /// <summary>The answer, from the state and version after the change.</summary>
    public required Func<Changed<TState>, IResult> Respond { get; init; }

    /// <summary>The journey the events belong to (the contact's id), else the request's trace.</summary>
    public Func<TState, string?>? Correlation { get; init; }

    /// <summary>
    /// Staff text about a subject who has been erased is left out rather than the action refused: work on a
    /// referral still has to finish, and the text could never be read again anyway.
    /// </summary>
    public bool OmitPersonalDataOfErased { get; init; }
}

/// <summary>
/// The one way a request changes a stream: fetch it for writing, 404 when there is no such record, let the command
/// refuse the user, judge the request, honour <c>If-Match</c> (412 when stale), decide, seal personal fields, append
/// at the version fetched, answer with the new ETag.
/// </summary>
public static class StreamCommands
{
    public static async Task<IResult> ChangeAsync<TState>(this HttpContext http, StreamKind<TState> kind, Guid id, StreamCommand<TState> command, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(command.Invalid ?? new Dictionary<string, string[]>(), StringComparer.Ordinal);

        var ifMatch = http.Request.IfMatchVersion();
        if (ifMatch == -1)
        {
            errors["If-Match"] = [$"If-Match must be the ETag of the {kind.Noun} as read."];
        }

        var services = http.RequestServices;
        var writer = services.GetRequiredService<IStreamWriting>();
        var fetched = await StreamChange.FetchAsync(writer, kind, id, cancellationToken).ConfigureAwait(false);
        await using var disposeFetched = fetched.ConfigureAwait(false);
        if (!kind.Exists(fetched.State))
        {
            return NotFound(kind, id);
        }

        // Who may act is settled before what they sent is judged, so a caller learns nothing about a record that is
        // not theirs from the validation of their request.
        if (command.Authorise?.Invoke(http.User, fetched.State) is { } refused)
        {
            return refused;
        }

        if (errors.Count > 0)
        {
            return JsonBody.Invalid(errors);
        }

        StreamChange.RefuseStale(kind, id, ifMatch, fetched);
        var decided = command.Decide(fetched.State, services.GetRequiredService<TimeProvider>().GetUtcNow());
        var vault = services.GetRequiredService<PersonalDataVault>();
        var metadata = http.EventMetadata(command.Correlation?.Invoke(fetched.State));
        var changed = await StreamChange.AppendAsync(
            writer,
            kind,
            fetched,
            decided,
            events => vault.ToEventDataAsync(events, _ => Guid.NewGuid(), metadata, cancellationToken, omitWhenErased: command.OmitPersonalDataOfErased),
            cancellationToken).ConfigureAwait(false);
        http.Response.Headers.ETag = RequestContext.ETag(changed.Version);
        return command.Respond(changed);
    }

    /// <summary>The same answer whether the record is missing or merely not the caller's to see.</summary>
    public static IResult NotFound<TState>(StreamKind<TState> kind, Guid id) =>
        TypedResults.Problem(title: $"{char.ToUpperInvariant(kind.Noun[0])}{kind.Noun[1..]} not found", detail: $"There is no {kind.Noun} {id}.", statusCode: StatusCodes.Status404NotFound);
}
