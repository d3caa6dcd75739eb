using FrontDoor.Domain.Audit;
using FrontDoor.Domain.Configuration;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Domain.Residents;

namespace FrontDoor.Domain;

/// <summary>
/// The one place that ties stored type names to CLR types. Persistence writes <see cref="TypeNameOf(object)"/>
/// and reads back through <see cref="Types"/>, so renaming a class never orphans stored events.
/// </summary>
public static class DomainEvents
{
    private static readonly Dictionary<Type, string> NamesByType = [];
    private static readonly Dictionary<string, Type> TypesByName = new(StringComparer.Ordinal);

    static DomainEvents()
    {
        Register<ContactReceived>();
        Register<NeedsAssessed>();
        Register<ConsentRecorded>();
        Register<ContactReferred>();
        Register<ContactReferralCompleted>();
        Register<ContactReferralClosed>();
        Register<Signposted>();
        Register<ResolvedAtFirstContact>();
        Register<QueuedForTriage>();
        Register<FollowUpScheduled>();
        Register<FollowUpDue>();
        Register<FollowUpCompleted>();
        Register<ContactClosed>();
        Register<ContactPersonalDataErased>();
        Register<ContactResidentSuggested>();
        Register<ContactResidentConfirmed>();

        Register<ReferralRaised>();
        Register<ReferralClaimed>();
        Register<ReferralAssigned>();
        Register<ReferralAccepted>();
        Register<ReferralReturned>();
        Register<ReferralOverdue>();
        Register<ReferralCompleted>();
        Register<ReferralReassigned>();
        Register<ReferralContactAttached>();
        Register<ReferralNoteAdded>();

        Register<ResidentRegistered>();
        Register<ResidentDetailsCorrected>();
        Register<ResidentContactLinked>();
        Register<ResidentConsentGiven>();
        Register<ResidentConsentWithdrawn>();
        Register<ResidentErased>();
        Register<ResidentMerged>();
        Register<ResidentMergedInto>();

        Register<PersonalDataViewed>();

        Register<RoutingTableChanged>();
        Register<SlaTargetsChanged>();
        Register<SiteCatalogueChanged>();
        Register<DirectoryChanged>();

        Types = TypesByName.AsReadOnly();
    }

    /// <summary>Stored type name to CLR type, for deserialising.</summary>
    public static IReadOnlyDictionary<string, Type> Types { get; }

    public static string TypeNameOf(object evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        return TypeNameOf(evt.GetType());
    }

    public static string TypeNameOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return NamesByType.TryGetValue(type, out var name)
            ? name
            : throw new ArgumentException($"{type.FullName} is not a registered domain event.", nameof(type));
    }

    public static bool TryGetType(string typeName, out Type type)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        if (TypesByName.TryGetValue(typeName, out var found))
        {
            type = found;
            return true;
        }

        type = typeof(object);
        return false;
    }

    private static void Register<TEvent>()
        where TEvent : INamedEvent
    {
        // Fail at start-up, not on some later read, if two events ever claim the same stored name.
        if (!TypesByName.TryAdd(TEvent.EventType, typeof(TEvent)))
        {
            throw new InvalidOperationException($"Stored event type '{TEvent.EventType}' is registered twice.");
        }

        NamesByType.Add(typeof(TEvent), TEvent.EventType);
    }
}
