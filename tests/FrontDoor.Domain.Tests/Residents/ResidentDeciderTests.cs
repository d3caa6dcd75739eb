using FrontDoor.Domain.Residents;
using FrontDoor.Domain.Tests.Support;

namespace FrontDoor.Domain.Tests.Residents;

public sealed class ResidentDeciderTests
{
    private const string Officer = "user:officer-amy";
    private static readonly DateOnly Dob = new(1958, 7, 14);
    private static readonly string Key = ResidentMatchKey.From("Margaret Jones", Dob, "CH1 1AA")!;
    private static readonly Guid ResidentId = ResidentIdentity.StreamIdFor(Key);

    private static ResidentRegistered Registered() =>
        new(ResidentId, "Margaret Jones", Dob, "CH1 1AA", "01244 000000", null, Key, Officer, Times.Monday);

    private static ResidentContactLinked Linked(Guid contactId, string channel = ChannelCodes.Phone) =>
        new(ResidentId, contactId, channel, Officer, Times.Monday);

    [Fact]
    public void RegisteringRecordsTheMatchKey()
    {
        var outcome = Specs.Resident()
            .When(new RegisterResident(ResidentId, " Margaret Jones ", Dob, "ch1 1aa", "01244 000000", "", Officer))
            .Then(new ResidentRegistered(ResidentId, "Margaret Jones", Dob, "CH1 1AA", "01244 000000", null, "margaret jones|1958-07-14|CH11AA", Officer, Times.Now));

        Assert.True(outcome.State.Exists);
        Assert.Equal(0, outcome.State.RepeatContactCount);
    }

    [Fact]
    public void RegisteringWithoutADateOfBirthLeavesNoMatchKey()
    {
        var outcome = Specs.Resident().When(new RegisterResident(Guid.NewGuid(), "Sam", null, "CH2 2BB", null, null, Officer));

        Assert.Null(Assert.IsType<ResidentRegistered>(Assert.Single(outcome.Events)).MatchKey);
    }

    [Fact]
    public void RegisteringTheSamePersonAgainIsANoOpSoFindOrCreateCanRace() =>
        Specs.Resident()
            .Given(Registered())
            .When(new RegisterResident(ResidentId, "MARGARET  JONES", Dob, "CH11AA", null, "m@example.org", Officer))
            .ThenNothing();

    [Fact]
    public void RegisteringSomeoneElseUnderAnExistingIdIsAnError() =>
        Specs.Resident()
            .Given(Registered())
            .When(new RegisterResident(ResidentId, "Peter Jones", Dob, "CH1 1AA", null, null, Officer))
            .ThenFails("resident.already-registered");

    [Fact]
    public void ANameIsRequired() =>
        Specs.Resident().When(new RegisterResident(ResidentId, " ", Dob, "CH1 1AA", null, null, Officer)).ThenFails("resident.name-required");

    [Fact]
    public void AnEmailMustLookLikeOne() =>
        Specs.Resident().When(new RegisterResident(ResidentId, "Margaret Jones", Dob, "CH1 1AA", null, "not-an-email", Officer)).ThenFails("resident.invalid-email");

    [Fact]
    public void CorrectingDetailsRecordsTheFullCorrectedSet()
    {
        var outcome = Specs.Resident()
            .Given(Registered())
            .When(new CorrectResidentDetails(ResidentId, "Margaret Jones", Dob, "CH4 8ZZ", "07700 900123", "mags@example.org", Officer))
            .Then(new ResidentDetailsCorrected(ResidentId, "Margaret Jones", Dob, "CH4 8ZZ", "07700 900123", "mags@example.org", "margaret jones|1958-07-14|CH48ZZ", Officer, Times.Now));

        Assert.Equal("CH4 8ZZ", outcome.State.Postcode);
        Assert.Equal(ResidentId, outcome.State.ResidentId);
    }

    [Fact]
    public void CorrectingWithNoChangeIsANoOp() =>
        Specs.Resident()
            .Given(Registered())
            .When(new CorrectResidentDetails(ResidentId, "Margaret Jones", Dob, "ch1 1aa", "01244 000000", null, Officer))
            .ThenNothing();

    [Fact]
    public void CorrectingAnUnregisteredResidentIsAnError() =>
        Specs.Resident()
            .When(new CorrectResidentDetails(ResidentId, "Margaret Jones", Dob, "CH1 1AA", null, null, Officer))
            .ThenFails("resident.not-found");

    [Fact]
    public void LinkingAContact()
    {
        var contactId = Guid.NewGuid();

        var outcome = Specs.Resident()
            .Given(Registered())
            .When(new LinkContact(ResidentId, contactId, ChannelCodes.LetsTalk, Officer))
            .Then(new ResidentContactLinked(ResidentId, contactId, ChannelCodes.LetsTalk, Officer, Times.Now));

        Assert.Equal([contactId], outcome.State.ContactIds);
    }

    [Fact]
    public void LinkingTheSameContactTwiceIsANoOp()
    {
        var contactId = Guid.NewGuid();

        Specs.Resident().Given(Registered(), Linked(contactId)).When(new LinkContact(ResidentId, contactId, ChannelCodes.Phone, Officer)).ThenNothing();
    }

    [Fact]
    public void LinkingNeedsAKnownChannel() =>
        Specs.Resident().Given(Registered()).When(new LinkContact(ResidentId, Guid.NewGuid(), "pigeon", Officer)).ThenFails("resident.unknown-channel");

    [Fact]
    public void LinkingToAnUnregisteredResidentIsAnError() =>
        Specs.Resident().When(new LinkContact(ResidentId, Guid.NewGuid(), ChannelCodes.Web, Officer)).ThenFails("resident.not-found");

    [Fact]
    public void RepeatContactsCountContactsBeyondTheFirst()
    {
        var one = ResidentDecider.Fold([Registered(), Linked(Guid.NewGuid())]);
        var three = ResidentDecider.Fold([Registered(), Linked(Guid.NewGuid()), Linked(Guid.NewGuid(), ChannelCodes.Web), Linked(Guid.NewGuid(), ChannelCodes.WelcomingSpace)]);

        Assert.Equal(0, ResidentState.Initial.RepeatContactCount);
        Assert.Equal(0, one.RepeatContactCount);
        Assert.Equal(2, three.RepeatContactCount);
        Assert.Equal(3, three.ContactIds.Count);
    }
}
