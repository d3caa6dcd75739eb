namespace FrontDoor.Domain.Catalogue;

public sealed record SiteCatalogue(IReadOnlyList<Site> Sites)
{
    public static SiteCatalogue Default { get; } = new(
    [
        new Site("lets-talk-ellesmere-port", "Let's Talk Ellesmere Port", SiteKinds.LetsTalk, "Ellesmere Port"),
        new Site("lets-talk-blacon", "Let's Talk Blacon", SiteKinds.LetsTalk, "Chester"),
        new Site("lets-talk-lache", "Let's Talk Lache", SiteKinds.LetsTalk, "Chester"),
        new Site("lets-talk-winsford", "Let's Talk Winsford", SiteKinds.LetsTalk, "Winsford"),
        new Site("lets-talk-northwich", "Let's Talk Northwich", SiteKinds.LetsTalk, "Northwich"),
        new Site("welcoming-space-chester-library", "Chester Library", SiteKinds.WelcomingSpace, "Chester"),
        new Site("welcoming-space-ellesmere-port-library", "Ellesmere Port Library", SiteKinds.WelcomingSpace, "Ellesmere Port"),
        new Site("welcoming-space-northwich-library", "Northwich Library", SiteKinds.WelcomingSpace, "Northwich"),
        new Site("welcoming-space-winsford-community-hub", "Winsford Community Hub", SiteKinds.WelcomingSpace, "Winsford"),
        new Site("welcoming-space-frodsham-community-centre", "Frodsham Community Centre", SiteKinds.WelcomingSpace, "Frodsham"),
    ]);

    public Site? Find(string? siteId) =>
        siteId is null ? null : Sites.FirstOrDefault(s => string.Equals(s.Id, siteId, StringComparison.Ordinal));

    public IReadOnlyList<Site> OfKind(string kind) =>
        Sites.Where(s => string.Equals(s.Kind, kind, StringComparison.Ordinal)).ToList();
}
