using System.Security.Claims;

namespace FrontDoor.Server.Infrastructure.Security;

/// <summary>
/// The members of staff FrontDoor has seen sign in. Events name people by their stable actor ids; pages and problems
/// show them by name.
/// </summary>
public interface IStaffDirectory
{
    /// <summary>Records who signed in (on every admitted request; cheap when nothing changed).</summary>
    ValueTask NoteSignInAsync(ClaimsPrincipal user, CancellationToken cancellationToken);

    /// <summary>The display names of those of <paramref name="actors"/> who are known; others are left out.</summary>
    ValueTask<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<string> actors, CancellationToken cancellationToken);
}
