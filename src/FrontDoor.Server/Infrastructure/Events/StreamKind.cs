using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Domain.Residents;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Infrastructure.Events;

/// <summary>
/// A kind of stream one decider owns: its name, how its events fold and whether a folded state is a record at all.
/// <paramref name="Noun"/> is how the record is named to a person ("contact"), in a 404 or an If-Match message.
/// </summary>
public sealed record StreamKind<TState>(
    string Noun,
    Func<Guid, string> StreamOf,
    TState Initial,
    Func<TState, object, TState> Evolve,
    Func<TState, bool> Exists)
{
    /// <summary>How Marten folds a stream of this kind when it is fetched for writing: by the decider's own Evolve.</summary>
    public IStreamFold Fold() => new StreamFold<TState>(Initial, Evolve);
}

/// <summary>The streams requests and reactions change.</summary>
public static class StreamKinds
{
    public static StreamKind<ContactState> Contact { get; } = new("contact", StreamIds.Contact, ContactState.Initial, ContactDecider.Evolve, s => s.Exists);

    public static StreamKind<ReferralState> Referral { get; } = new("referral", StreamIds.Referral, ReferralState.Initial, ReferralDecider.Evolve, s => s.Exists);

    public static StreamKind<ResidentState> Resident { get; } = new("resident", StreamIds.Resident, ResidentState.Initial, ResidentDecider.Evolve, s => s.Exists);

    public static IReadOnlyList<IStreamFold> Folds { get; } = [Contact.Fold(), Referral.Fold(), Resident.Fold()];
}
