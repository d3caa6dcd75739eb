using FrontDoor.Domain.Residents;

namespace FrontDoor.Domain.Tests.Residents;

public sealed class ResidentNameTests
{
    [Theory]
    [InlineData("Jo Whit\u200Bfield")]
    [InlineData("\uFEFFJo Whitfield")]
    [InlineData("Jo Whit\u00ADfield")]
    [InlineData("Jo Whitfield\u0000")]
    [InlineData("Jo\u00A0\u2003Whitfield")]
    [InlineData("Jo Ｗhitfield")]
    [InlineData("  Jo   Whitfield ")]
    public void InvisibleCharactersAndCompatibilityFormsAreFoldedAway(string name)
    {
        Assert.Equal("Jo Whitfield", ResidentName.Clean(name));
        Assert.Equal(ResidentMatchKey.From("Jo Whitfield", new DateOnly(1971, 3, 14), "CH4 7QP"), ResidentMatchKey.From(name, new DateOnly(1971, 3, 14), "CH4 7QP"));
    }

    [Fact]
    public void DecomposedAccentsAreComposed() =>
        Assert.Equal("Zo\u00EB", ResidentName.Clean("Zoe\u0308"));

    [Theory]
    [InlineData("J\u043E Whitfield", "resident.name-mixed-scripts")]
    [InlineData("\u0391lex Jones", "resident.name-mixed-scripts")]
    [InlineData("Ivan \u0418\u0432\u0430\u043D\u043E\u0432", "resident.name-mixed-scripts")]
    [InlineData("12345", "resident.name-no-letters")]
    [InlineData("!!! ???", "resident.name-no-letters")]
    public void LookAlikesAndNamesWithoutLettersAreRefused(string name, string code) =>
        Assert.Equal(code, ResidentName.Problem(name)?.Code);

    [Theory]
    [InlineData("Siobhán O'Connor")]
    [InlineData("Иван Иванов")]
    [InlineData("Νίκος Παπαδόπουλος")]
    [InlineData("محمد علي")]
    [InlineData("Anne-Marie Smith")]
    [InlineData("Łukasz Żółw")]
    public void NamesInOneAlphabetAreKept(string name) =>
        Assert.Null(ResidentName.Problem(name));

    [Fact]
    public void ANameMadeOnlyOfInvisibleCharactersIsNoName() =>
        Assert.Null(ResidentName.Clean("\u200B\u2060\uFEFF "));

    [Fact]
    public void TheDeciderRefusesALookAlikeName() =>
        Assert.Equal(
            "resident.name-mixed-scripts",
            Assert.Throws<DomainException>(() => ResidentDecider.Decide(
                ResidentState.Initial,
                new RegisterResident(Guid.NewGuid(), "J\u043E Whitfield", null, null, null, null, "agent-1"),
                DateTimeOffset.UnixEpoch)).Code);
}
