namespace FrontDoor.Domain.Catalogue;

public static class SiteKinds
{
    public const string LetsTalk = ChannelCodes.LetsTalk;
    public const string WelcomingSpace = ChannelCodes.WelcomingSpace;
}

/// <summary>A physical place residents can walk into; its kind matches the channel a visit there is recorded under.</summary>
public sealed record Site(string Id, string Name, string Kind, string Town);
