using System.Text.RegularExpressions;
using FrontDoor.Domain.Catalogue;

namespace FrontDoor.Domain.Tests.Catalogue;

public sealed partial class CatalogueTests
{
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Slug();

    [Fact]
    public void ThereAreFiveLetsTalkSitesInTheExpectedPlaces()
    {
        var sites = SiteCatalogue.Default.OfKind(SiteKinds.LetsTalk);

        Assert.Equal(
            ["lets-talk-ellesmere-port", "lets-talk-blacon", "lets-talk-lache", "lets-talk-winsford", "lets-talk-northwich"],
            sites.Select(s => s.Id));
        Assert.All(sites, s => Assert.StartsWith("Let's Talk", s.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void WelcomingSpacesCoverTheMainTowns()
    {
        var towns = SiteCatalogue.Default.OfKind(SiteKinds.WelcomingSpace).Select(s => s.Town).ToHashSet();

        Assert.Superset(new HashSet<string> { "Chester", "Ellesmere Port", "Northwich", "Winsford", "Frodsham" }, towns);
        Assert.NotNull(SiteCatalogue.Default.Find("welcoming-space-chester-library"));
    }

    [Fact]
    public void SiteIdsAreUniqueSlugsPrefixedByKind()
    {
        var sites = SiteCatalogue.Default.Sites;

        Assert.Equal(sites.Count, sites.Select(s => s.Id).Distinct().Count());
        Assert.All(sites, s =>
        {
            Assert.Matches(Slug(), s.Id);
            Assert.StartsWith(s.Kind + "-", s.Id, StringComparison.Ordinal);
            Assert.True(Vocabulary.IsSiteChannel(s.Kind));
        });
    }

    [Fact]
    public void FindingAnUnknownSiteGivesNothing()
    {
        Assert.Null(SiteCatalogue.Default.Find("lets-talk-narnia"));
        Assert.Null(SiteCatalogue.Default.Find(null));
    }

    [Fact]
    public void IsolationIsAnsweredByShedsBefriendingAndCommunityGroups()
    {
        var ids = CommunityDirectory.Default.ForNeed(NeedCodes.IsolationAndWellbeing).Select(s => s.Id).ToList();

        Assert.Contains("men-in-sheds-cheshire-west", ids);
        Assert.Contains("befriending-service-cheshire-west", ids);
        Assert.Contains("cheshire-west-crowd", ids);
        Assert.DoesNotContain("citizens-advice-cheshire-west", ids);
    }

    [Fact]
    public void FoodAndMoneyNeedsFindFoodBanksAndAdvice()
    {
        Assert.Contains(CommunityDirectory.Default.ForNeed(NeedCodes.FoodAndFuel), s => s.Name.Contains("Foodbank", StringComparison.Ordinal));
        Assert.Contains(CommunityDirectory.Default.ForNeed(NeedCodes.MoneyAndDebt), s => s.Id == "citizens-advice-cheshire-west");
        Assert.Empty(CommunityDirectory.Default.ForNeed(NeedCodes.ChildSafeguarding));
    }

    [Fact]
    public void ForNeedsListsEachEntryOnce()
    {
        var entries = CommunityDirectory.Default.ForNeeds([NeedCodes.IsolationAndWellbeing, NeedCodes.FoodAndFuel]);

        Assert.Equal(entries.Count, entries.Select(e => e.Id).Distinct().Count());
        Assert.Contains(entries, e => e.Id == "community-groups-cheshire-west");
    }

    [Fact]
    public void DirectoryEntriesAreCompleteAndTaggedWithKnownNeeds()
    {
        var services = CommunityDirectory.Default.Services;

        Assert.Equal(services.Count, services.Select(s => s.Id).Distinct().Count());
        Assert.All(services, s =>
        {
            Assert.Matches(Slug(), s.Id);
            Assert.False(string.IsNullOrWhiteSpace(s.Description));
            Assert.False(string.IsNullOrWhiteSpace(s.Organization.Name));
            Assert.NotEmpty(s.ServiceAreas);
            Assert.NotEmpty(s.Needs);
            Assert.All(s.Needs, n => Assert.True(Vocabulary.IsKnownNeed(n), n));
        });
    }
}
