namespace FrontDoor.Domain.Tests;

public sealed class DeterministicIdTests
{
    [Fact]
    public void SamePartsGiveTheSameId() =>
        Assert.Equal(DeterministicId.From("a", "b"), DeterministicId.From("a", "b"));

    [Fact]
    public void TheAlgorithmIsPinnedBecauseStoredIdsDependOnIt() =>
        Assert.Equal(Guid.Parse("9b17914c-52ea-85db-b1cd-1859f3360a58"), DeterministicId.From("referral", "contact-1", "housing", "evt-1"));

    [Fact]
    public void PartBoundariesMatter() =>
        Assert.NotEqual(DeterministicId.From("ab", "c"), DeterministicId.From("a", "bc"));

    [Fact]
    public void IdsAreVersion8WithTheStandardVariant()
    {
        var text = DeterministicId.From("resident", "x").ToString("D");

        Assert.Equal('8', text[14]);
        Assert.Contains(text[19], "89ab");
    }

    [Fact]
    public void AtLeastOnePartIsRequired() =>
        Assert.Throws<ArgumentException>(() => DeterministicId.From());
}
