using FrontDoor.Server.Operations;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>The server binary's operators' commands, in process, pointed at a test app's store.</summary>
public static class Frontdoor
{
    /// <summary>Runs the command, asserts it exited 0 (showing what it printed to stderr if not) and returns its output.</summary>
    public static async Task<string> RunAsync(FrontDoorApp app, params string[] command)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync([.. app.StoreArguments, .. command], output, error);
        Assert.True(exit == 0, $"{string.Join(' ', command)} exited {exit}: {error}");
        return output.ToString();
    }
}
