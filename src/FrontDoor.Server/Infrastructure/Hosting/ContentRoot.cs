namespace FrontDoor.Server.Infrastructure.Hosting;

/// <summary>
/// Where FrontDoor finds <c>appsettings.json</c> and its page shells. ASP.NET Core looks in the working folder, which
/// is right for <c>dotnet run</c> but not for a build started from anywhere else: there it would run without its
/// settings (and so with Information-level request logs) and without its pages. Such a start uses the folder the
/// build is in instead.
/// </summary>
public static class ContentRoot
{
    public const string SettingsFile = "appsettings.json";

    /// <summary>The content root to use, or null to leave ASP.NET Core's own choice (the working folder, or one configured).</summary>
    public static string? Find(string workingFolder, string appFolder, bool configuredElsewhere)
    {
        if (configuredElsewhere || File.Exists(Path.Combine(workingFolder, SettingsFile)))
        {
            return null;
        }

        return File.Exists(Path.Combine(appFolder, SettingsFile)) ? appFolder : null;
    }

    /// <summary>For the process's own start: a content root given on the command line or in the environment wins, and a host built by a test harness sets its own.</summary>
    public static string? ForThisProcess(string[] args)
    {
        var configured = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"))
            || args.Any(a => a.Contains("contentRoot", StringComparison.OrdinalIgnoreCase))
            || System.Reflection.Assembly.GetEntryAssembly() != typeof(ContentRoot).Assembly;
        return Find(Environment.CurrentDirectory, AppContext.BaseDirectory, configured);
    }
}
