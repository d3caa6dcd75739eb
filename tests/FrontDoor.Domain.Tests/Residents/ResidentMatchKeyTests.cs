using FrontDoor.Domain.Residents;

namespace FrontDoor.Domain.Tests.Residents;

public sealed class ResidentMatchKeyTests
{
    private static readonly DateOnly Dob = new(1984, 2, 9);

    [Fact]
    public void KeyIsNormalisedNameIsoDateAndCompactPostcode() =>
        Assert.Equal("mary obriensmith|1984-02-09|CH652AB", ResidentMatchKey.From("  Mary   O'Brien-Smith ", Dob, " ch65 2ab "));

    [Theory]
    [InlineData("Mary O'Brien", "CH65 2AB")]
    [InlineData("MARY OBRIEN", "ch652ab")]
    [InlineData("  mary\t o’brien. ", "CH65  2AB")]
    [InlineData("Mary   O'Brien", "ch 65 2ab")]
    public void TypingVariantsOfTheSamePersonMatch(string name, string postcode) =>
        Assert.Equal("mary obrien|1984-02-09|CH652AB", ResidentMatchKey.From(name, Dob, postcode));

    [Theory]
    [InlineData(null, "CH65 2AB")]
    [InlineData("  ", "CH65 2AB")]
    [InlineData("'.-", "CH65 2AB")]
    [InlineData("Mary O'Brien", null)]
    [InlineData("Mary O'Brien", " ")]
    [InlineData("Mary O'Brien", "--")]
    public void MissingNameOrPostcodeMeansNoMatchIsPossible(string? name, string? postcode) =>
        Assert.Null(ResidentMatchKey.From(name, Dob, postcode));

    [Fact]
    public void MissingDateOfBirthMeansNoMatchIsPossible() =>
        Assert.Null(ResidentMatchKey.From("Mary O'Brien", null, "CH65 2AB"));

    [Fact]
    public void DifferentPeopleHaveDifferentKeys()
    {
        var mary = ResidentMatchKey.From("Mary O'Brien", Dob, "CH65 2AB");

        Assert.NotEqual(mary, ResidentMatchKey.From("Mary O'Brien", Dob.AddDays(1), "CH65 2AB"));
        Assert.NotEqual(mary, ResidentMatchKey.From("Mary O'Brian", Dob, "CH65 2AB"));
        Assert.NotEqual(mary, ResidentMatchKey.From("Mary O'Brien", Dob, "CH65 2AC"));
    }

    [Fact]
    public void StreamIdIsStableForTheSameKeyAndDistinctOtherwise()
    {
        var key = ResidentMatchKey.From("Mary O'Brien", Dob, "CH65 2AB")!;
        var sameKey = ResidentMatchKey.From("MARY OBRIEN", Dob, "ch652ab")!;
        var other = ResidentMatchKey.From("Mary O'Brien", Dob, "CH1 1AA")!;

        Assert.Equal(ResidentIdentity.StreamIdFor(key), ResidentIdentity.StreamIdFor(sameKey));
        Assert.NotEqual(ResidentIdentity.StreamIdFor(key), ResidentIdentity.StreamIdFor(other));
        Assert.Equal('8', ResidentIdentity.StreamIdFor(key).ToString("D")[14]);
    }

    [Fact]
    public void StreamIdNeedsAKey() =>
        Assert.ThrowsAny<ArgumentException>(() => ResidentIdentity.StreamIdFor(" "));
}
