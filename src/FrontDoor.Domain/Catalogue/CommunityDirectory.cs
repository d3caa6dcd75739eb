namespace FrontDoor.Domain.Catalogue;

/// <summary>
/// Community and voluntary services we signpost to; signposting is a response in its own right, not a referral.
/// <see cref="Default"/> is the directory FrontDoor starts with until the council loads its own
/// (<c>PUT /api/admin/directory</c>): its phone numbers are in Ofcom's range kept for drama (01632 960xxx), so
/// nobody is ever rung by mistake, and its opening times are examples.
/// </summary>
public sealed record CommunityDirectory(IReadOnlyList<DirectoryService> Services)
{
    private const string Active = "active";
    private const string Borough = "Cheshire West and Chester";

    public static CommunityDirectory Default { get; } = new(
    [
        new DirectoryService(
            "citizens-advice-cheshire-west",
            "Citizens Advice Cheshire West",
            "Free, confidential advice on debt, benefits, housing problems and consumer rights.",
            new Uri("https://www.citizensadvice.org.uk/"),
            null,
            Active,
            new DirectoryOrganization("citizens-advice", "Citizens Advice"),
            [Borough],
            ["Advice", "Debt", "Benefits"],
            "01632 960001",
            [NeedCodes.MoneyAndDebt, NeedCodes.HousingAdvice],
            "Monday to Friday, 9am to 5pm"),
        new DirectoryService(
            "west-cheshire-foodbank",
            "West Cheshire Foodbank",
            "Emergency food parcels on referral, with signposting to fuel and hardship support.",
            new Uri("https://www.trussell.org.uk/"),
            null,
            Active,
            new DirectoryOrganization("west-cheshire-foodbank", "West Cheshire Foodbank"),
            ["Chester", "Ellesmere Port"],
            ["Food", "Emergency food"],
            "01632 960002",
            [NeedCodes.FoodAndFuel],
            "Monday, Wednesday and Friday, 10am to 1pm"),
        new DirectoryService(
            "mid-cheshire-foodbank",
            "Mid Cheshire Foodbank",
            "Emergency food parcels for households in Northwich, Winsford and surrounding villages.",
            new Uri("https://www.trussell.org.uk/"),
            null,
            Active,
            new DirectoryOrganization("mid-cheshire-foodbank", "Mid Cheshire Foodbank"),
            ["Northwich", "Winsford"],
            ["Food", "Emergency food"],
            "01632 960003",
            [NeedCodes.FoodAndFuel],
            "Tuesday and Thursday, 10am to 2pm"),
        new DirectoryService(
            "men-in-sheds-cheshire-west",
            "Men in Sheds",
            "Community workshops where people share skills, make things and get together; a proven route out of isolation.",
            new Uri("https://menssheds.org.uk/"),
            null,
            Active,
            new DirectoryOrganization("uk-mens-sheds-association", "UK Men's Sheds Association"),
            [Borough],
            ["Social activities", "Mental wellbeing"],
            "01632 960004",
            [NeedCodes.IsolationAndWellbeing],
            "Tuesday to Saturday, 10am to 3pm"),
        new DirectoryService(
            "cheshire-west-crowd",
            "Cheshire West Crowd",
            "Crowdfunding platform backing local community projects, groups and volunteering opportunities.",
            null,
            null,
            Active,
            new DirectoryOrganization("cheshire-west-and-chester-council", "Cheshire West and Chester Council"),
            [Borough],
            ["Community groups", "Volunteering"],
            null,
            [NeedCodes.IsolationAndWellbeing],
            "Online at any time"),
        new DirectoryService(
            "befriending-service-cheshire-west",
            "Telephone and Home Befriending",
            "Regular friendly calls or visits from a trained volunteer for people who feel lonely or cut off.",
            null,
            null,
            Active,
            new DirectoryOrganization("befriending-service", "Community Befriending Service"),
            [Borough],
            ["Befriending", "Loneliness"],
            "01632 960005",
            [NeedCodes.IsolationAndWellbeing, NeedCodes.CarerSupport],
            "Monday to Friday, 9am to 4pm"),
        new DirectoryService(
            "community-groups-cheshire-west",
            "Local Community Groups",
            "Lunch clubs, walking groups, parent and toddler sessions and warm spaces run by local volunteers.",
            null,
            null,
            Active,
            new DirectoryOrganization("community-groups", "Local community and voluntary groups"),
            [Borough],
            ["Social activities", "Community groups"],
            "01632 960006",
            [NeedCodes.IsolationAndWellbeing, NeedCodes.FamilySupport, NeedCodes.FoodAndFuel],
            "Times vary by group; ring to find one near you"),
    ]);

    public DirectoryService? Find(string id) =>
        Services.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal));

    public IReadOnlyList<DirectoryService> ForNeed(string need) =>
        Services.Where(s => s.Needs.Contains(need)).ToList();

    /// <summary>Entries helping with any of the needs, each listed once, in directory order.</summary>
    public IReadOnlyList<DirectoryService> ForNeeds(IEnumerable<string> needs)
    {
        var codes = Guard.Codes(needs);
        return Services.Where(s => s.Needs.Any(codes.Contains)).ToList();
    }
}
