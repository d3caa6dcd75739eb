using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using FrontDoor.Domain.Audit;
using FrontDoor.Domain.Catalogue;
using FrontDoor.Domain.Configuration;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Domain.Residents;
using FrontDoor.Domain.Routing;

namespace FrontDoor.Domain.Tests;

public sealed partial class DomainEventsTests
{
    private const string Actor = "user:test";
    private static readonly DateTimeOffset At = new(2025, 3, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id1 = Guid.Parse("11111111-1111-4111-8111-111111111111");
    private static readonly Guid Id2 = Guid.Parse("22222222-2222-4222-8222-222222222222");

    [GeneratedRegex(@"^[a-z]+(-[a-z]+)*\.v[1-9][0-9]*$")]
    private static partial Regex StoredName();

    /// <summary>One instance of every event, with every optional field filled, for round-trip checks.</summary>
    private static IReadOnlyList<object> Samples() =>
    [
        new ContactReceived(Id1, ChannelCodes.LetsTalk, "lets-talk-lache", Id2, "Summary", [NeedCodes.Homelessness], true, Actor, At),
        new NeedsAssessed(Id1, [NeedCodes.ChildSafeguarding], true, PriorityCodes.Immediate, Actor, At),
        new ConsentRecorded(Id1, true, ConsentMethods.Written, Actor, At),
        new ContactReferred(Id1, Id2, ServiceCodes.Housing, PriorityCodes.Urgent, At.AddDays(1), Actor, At),
        new ContactReferralCompleted(Id1, Id2, Actor, At),
        new ContactReferralClosed(Id1, Id2, ReferralCloseReasons.Returned, Actor, At),
        new Signposted(Id1, ["men-in-sheds-cheshire-west"], Actor, At),
        new ResolvedAtFirstContact(Id1, Id2, "Sorted", Actor, At),
        new QueuedForTriage(Id1, "unrouted", Actor, At),
        new FollowUpScheduled(Id1, At.AddDays(3), FollowUpReasons.Resolved, Actor, At),
        new FollowUpDue(Id1, At.AddDays(3), Actor, At.AddDays(3)),
        new FollowUpCompleted(Id1, null, false, "Not helped", Actor, At),
        new ContactClosed(Id1, Actor, At),
        new ReferralRaised(Id2, Id1, Id1, ServiceCodes.Housing, PriorityCodes.Urgent, At.AddDays(1), "need:homelessness", [NeedCodes.Homelessness], Id1, Actor, At),
        new ReferralClaimed(Id2, Id1, Actor, Actor, At),
        new ReferralAccepted(Id2, Id1, Actor, At),
        new ReferralReturned(Id2, Id1, Id1, ServiceCodes.Housing, "Not ours", ServiceCodes.PovertySupport, Actor, At),
        new ReferralOverdue(Id2, Id1, At, Actor, At),
        new ReferralCompleted(Id2, Id1, null, "Done", Actor, At),
        new ReferralReassigned(Id2, Id1, ServiceCodes.Housing, ServiceCodes.EarlyHelp, Actor, Actor, At),
        new ReferralContactAttached(Id2, Id1, Guid.Parse("33333333-3333-4333-8333-333333333333"), [NeedCodes.HousingAdvice], Actor, At),
        new ReferralAssigned(Id2, Id1, "user:housing-cat", Actor, Actor, At),
        new ReferralNoteAdded(Id2, Id1, Id1, Guid.Parse("44444444-4444-4444-8444-444444444444"), "Rang back.", Actor, At),
        new ResidentMerged(Id1, Id2, "Same phone number.", Actor, At),
        new ResidentMergedInto(Id2, Id1, "Same phone number.", Actor, At),
        new ResidentRegistered(Id1, "Mary", new DateOnly(1980, 1, 2), "CH1 1AA", "01244", "m@example.org", "mary|1980-01-02|CH11AA", Actor, At),
        new ResidentDetailsCorrected(Id1, "Mary", new DateOnly(1980, 1, 2), "CH1 1AB", null, null, "mary|1980-01-02|CH11AB", Actor, At),
        new ResidentContactLinked(Id1, Id2, ChannelCodes.Web, Actor, At),
        new ResidentConsentGiven(Id1, [ServiceCodes.Housing], ["age-uk-cheshire"], ConsentMethods.Spoken, Id2, Actor, At),
        new ResidentConsentWithdrawn(Id1, [ServiceCodes.Housing], [], ConsentMethods.Written, null, Actor, At),
        new ResidentErased(Id1, ErasureBases.Request, "SAR-1", Actor, At),
        new ContactPersonalDataErased(Id2, ErasureBases.Retention, null, Actor, At),
        new ContactResidentSuggested(Id1, Id2, Actor, At),
        new ContactResidentConfirmed(Id1, Id2, true, Actor, At),
        new PersonalDataViewed(AccessSubjects.Contact, Id1, Id2, Actor, "worker", ServiceCodes.Housing, "GET /api/contacts/{contactId}", Actor, At),
        new RoutingTableChanged([new NeedRoute(NeedCodes.MoneyAndDebt, ServiceCodes.PovertySupport, PriorityCodes.Urgent)], Actor, At),
        new SlaTargetsChanged(TimeSpan.FromHours(2), TimeSpan.FromDays(2), 4, 2, Actor, At),
        new SiteCatalogueChanged([new Site("lets-talk-blacon", "Let's Talk Blacon", SiteKinds.LetsTalk, "Chester")], Actor, At),
        new DirectoryChanged([CommunityDirectory.Default.Services[0]], Actor, At),
    ];

    private static List<Type> EventTypesInDomain() =>
        typeof(DomainEvents).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDomainEvent).IsAssignableFrom(t))
            .ToList();

    [Fact]
    public void EveryEventTypeIsRegistered()
    {
        var types = EventTypesInDomain();

        Assert.Equal(39, types.Count);
        Assert.All(types, t => Assert.Contains(t, DomainEvents.Types.Values));
        Assert.Equal(types.Count, DomainEvents.Types.Count);
    }

    [Fact]
    public void EveryEventIsASealedNamedRecord() =>
        Assert.All(EventTypesInDomain(), t =>
        {
            Assert.True(t.IsSealed, t.Name);
            Assert.NotNull(t.GetMethod("<Clone>$"));
            Assert.True(typeof(INamedEvent).IsAssignableFrom(t), t.Name);
        });

    [Fact]
    public void StoredNamesAreUniqueVersionedAndIndependentOfClrNames()
    {
        Assert.Equal(DomainEvents.Types.Count, DomainEvents.Types.Values.Distinct().Count());
        Assert.All(DomainEvents.Types, pair =>
        {
            Assert.Matches(StoredName(), pair.Key);
            Assert.Equal(pair.Key, DomainEvents.TypeNameOf(pair.Value));
            Assert.Equal(pair.Key, pair.Value.GetProperty(nameof(INamedEvent.EventType), BindingFlags.Public | BindingFlags.Static)!.GetValue(null));
        });
    }

    [Theory]
    [InlineData(typeof(ContactReceived), "contact-received.v1")]
    [InlineData(typeof(ContactReferred), "contact-referred.v1")]
    [InlineData(typeof(FollowUpCompleted), "contact-follow-up-completed.v1")]
    [InlineData(typeof(ReferralRaised), "referral-raised.v1")]
    [InlineData(typeof(ReferralReassigned), "referral-reassigned.v1")]
    [InlineData(typeof(ReferralContactAttached), "referral-contact-attached.v1")]
    [InlineData(typeof(ResidentContactLinked), "resident-contact-linked.v1")]
    [InlineData(typeof(ResidentConsentGiven), "resident-consent-given.v1")]
    [InlineData(typeof(ResidentConsentWithdrawn), "resident-consent-withdrawn.v1")]
    [InlineData(typeof(ResidentErased), "resident-erased.v1")]
    [InlineData(typeof(ResidentMerged), "resident-merged.v1")]
    [InlineData(typeof(ResidentMergedInto), "resident-merged-into.v1")]
    [InlineData(typeof(ContactPersonalDataErased), "contact-personal-data-erased.v1")]
    [InlineData(typeof(ContactResidentSuggested), "contact-resident-suggested.v1")]
    [InlineData(typeof(ContactResidentConfirmed), "contact-resident-confirmed.v1")]
    [InlineData(typeof(PersonalDataViewed), "personal-data-viewed.v1")]
    [InlineData(typeof(RoutingTableChanged), "routing-table-changed.v1")]
    [InlineData(typeof(SlaTargetsChanged), "sla-targets-changed.v1")]
    [InlineData(typeof(SiteCatalogueChanged), "site-catalogue-changed.v1")]
    [InlineData(typeof(DirectoryChanged), "directory-changed.v1")]
    public void PublishedNamesAreStable(Type type, string name)
    {
        Assert.Equal(name, DomainEvents.TypeNameOf(type));
        Assert.True(DomainEvents.TryGetType(name, out var found));
        Assert.Equal(type, found);
    }

    [Fact]
    public void UnknownTypesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => DomainEvents.TypeNameOf("not an event"));
        Assert.False(DomainEvents.TryGetType("contact-received.v0", out _));
    }

    [Fact]
    public void SamplesCoverEveryRegisteredEvent() =>
        Assert.Equal(
            DomainEvents.Types.Keys.Order(StringComparer.Ordinal),
            Samples().Select(DomainEvents.TypeNameOf).Order(StringComparer.Ordinal));

    [Fact]
    public void EveryEventRoundTripsThroughJsonByItsStoredName()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.All(Samples(), evt =>
        {
            var json = JsonSerializer.Serialize(evt, evt.GetType(), options);
            var type = DomainEvents.Types[DomainEvents.TypeNameOf(evt)];

            var back = JsonSerializer.Deserialize(json, type, options);

            Assert.NotNull(back);
            Assert.Equal(json, JsonSerializer.Serialize(back, type, options));
            Assert.DoesNotContain("eventType", json, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void EveryEventCarriesActorAndTime() =>
        Assert.All(Samples(), evt =>
        {
            var domainEvent = Assert.IsAssignableFrom<IDomainEvent>(evt);
            Assert.False(string.IsNullOrWhiteSpace(domainEvent.Actor));
            Assert.NotEqual(default, domainEvent.At);
        });
}

public sealed class PersonalDataMarkingTests
{
    [Fact]
    public void ExactlyTheResidentsDetailsTheirOwnWordsAndWhatStaffWroteAboutThemAreMarkedPersonal()
    {
        var marked = DomainEvents.Types
            .SelectMany(pair => pair.Value.GetProperties()
                .Where(p => p.GetCustomAttributes(typeof(PersonalDataAttribute), inherit: false).Length > 0)
                .Select(p => $"{pair.Key}.{p.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        string[] details = ["DateOfBirth", "Email", "MatchKey", "Name", "Phone", "Postcode"];
        string[] staffWrote =
        [
            "contact-follow-up-completed.v1.Note",
            "contact-resolved-at-first-contact.v1.Note",
            "referral-completed.v1.Outcome",
            "referral-note-added.v1.Text",
            "referral-returned.v1.Reason",
            "resident-merged-into.v1.Reason",
            "resident-merged.v1.Reason",
        ];
        var expected = new[] { "contact-received.v1.RequestDigest", "contact-received.v1.Summary" }
            .Concat(staffWrote)
            .Concat(details.Select(d => "resident-details-corrected.v1." + d))
            .Concat(details.Select(d => "resident-registered.v1." + d))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, marked);
    }

    [Fact]
    public void EveryEventWithPersonalFieldsNamesItsDataSubjectAndLetsThemReadAsErased() =>
        Assert.All(
            DomainEvents.Types.Values.Where(t => t.GetProperties().Any(p => p.GetCustomAttributes(typeof(PersonalDataAttribute), inherit: false).Length > 0)),
            type =>
            {
                Assert.True(typeof(IPersonalDataEvent).IsAssignableFrom(type), type.Name);

                // An erased field reads as null, so every personal field must be able to hold one.
                var nullability = new System.Reflection.NullabilityInfoContext();
                Assert.All(
                    type.GetProperties().Where(p => p.GetCustomAttributes(typeof(PersonalDataAttribute), inherit: false).Length > 0),
                    p => Assert.Equal(System.Reflection.NullabilityState.Nullable, nullability.Create(p).ReadState));
            });

    [Fact]
    public void AContactWithoutAResidentIsItsOwnDataSubject()
    {
        var contactId = Guid.NewGuid();
        var residentId = Guid.NewGuid();
        var at = DateTimeOffset.UnixEpoch;

        Assert.Equal(contactId, new ContactReceived(contactId, ChannelCodes.Web, null, null, "s", [], true, "a", at).DataSubjectId());
        Assert.Equal(residentId, new ContactReceived(contactId, ChannelCodes.Web, null, residentId, "s", [], true, "a", at).DataSubjectId());
    }
}
