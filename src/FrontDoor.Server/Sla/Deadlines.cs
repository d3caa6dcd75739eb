using FrontDoor.Domain;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Store;
using Wolverine;

namespace FrontDoor.Server.Sla;

/// <summary>A referral's due time has come: if it is still open, it is overdue.</summary>
public sealed record ReferralDeadline(Guid ReferralId);

/// <summary>A contact's check-back day has come: if it is still to be done, it is due.</summary>
public sealed record CheckBackDeadline(Guid ContactId);

/// <summary>A contact has been with its referrals for the configured working days: it gets a check-back anyway.</summary>
public sealed record CheckBackAfterWaiting(Guid ContactId);

/// <summary>
/// How the clock's handlers change a stream: decided on the stream as it stands, with event ids derived from the
/// stream and the version acted on, so a deadline delivered twice appends once.
/// </summary>
public static class Deadlines
{
    public const string Actor = "system:sla-clock";

    /// <summary>
    /// The deadline again at <paramref name="dueAt"/> when that is still ahead (it fired early, or the work moved on),
    /// nothing when there is no due time any more: a handler returns this so no deadline is lost or kept needlessly.
    /// </summary>
    public static object[] AgainAt<TMessage>(TMessage deadline, DateTimeOffset? dueAt, DateTimeOffset now) =>
        dueAt is { } due && due > now ? [deadline!.ScheduledAt(due)] : [];

    public static Task<Changed<TState>> ActAsync<TState>(StoreConnection store, StreamKind<TState> kind, Guid id, Func<TState, IReadOnlyList<object>> decide, CancellationToken cancellationToken)
    {
        var stream = kind.StreamOf(id);
        var metadata = new EventMetadata(null, null, Actor, System.Diagnostics.Activity.Current?.Id);
        return StreamChange.ReactAsync(
            store.Writing,
            kind,
            id,
            decide,
            (decided, _, version) => decided
                .Select((e, i) => DomainEventSerializer.ToEventData(e, DeterministicId.From("sla-clock", stream, version.ToString(System.Globalization.CultureInfo.InvariantCulture), i.ToString(System.Globalization.CultureInfo.InvariantCulture)), metadata))
                .ToArray(),
            cancellationToken);
    }
}
