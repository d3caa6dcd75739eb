using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Testing;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// The no-install default as a real process: with no connection string FrontDoor makes a PostgreSQL cluster in its
/// data folder, runs on it, stops it when it stops, and finds its data again on the next start. Run as root (as CI
/// does) this also proves the server runs under the unprivileged account, since PostgreSQL refuses root.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EmbeddedPostgresTests(ITestOutputHelper output)
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task With_no_connection_string_FrontDoor_runs_its_own_PostgreSQL_in_the_data_folder_and_stops_it_with_itself()
    {
        var folder = Path.Combine(Path.GetTempPath(), "frontdoor-embedded", Guid.NewGuid().ToString("N"));
        var cluster = Path.Combine(folder, "postgres");
        try
        {
            await using var node = await ServerProcess.StartAsync(Embedded(folder), output.WriteLine, readyWithin: TimeSpan.FromSeconds(90));
            Assert.True(File.Exists(Path.Combine(cluster, "postmaster.pid")), "the cluster in the data folder is running");
            foreach (var privateFolder in new[] { cluster, Path.Combine(folder, "postgres-socket") })
            {
                var mode = File.GetUnixFileMode(privateFolder);
                Assert.True((mode & GroupOrOthers) == 0, $"{privateFolder} is {Convert.ToString((int)mode, 8)}");
            }

            var contactId = await RecordAndSeeRoutedAsync(node);
            var postmaster = int.Parse(File.ReadLines(Path.Combine(cluster, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
            await node.StopAsync();
            Assert.False(File.Exists(Path.Combine(cluster, "postmaster.pid")), "PostgreSQL stopped with FrontDoor");

            // The postmaster removes its pid file as the last thing before it exits.
            await Eventually.True(() => !Directory.Exists($"/proc/{postmaster}"), $"the postmaster {postmaster} is gone", 10);

            // Started again on the same folder: the same cluster, and what was recorded is still there.
            await node.StartAgainAsync(TimeSpan.FromSeconds(90));
            using (var manager = await node.SignInAsync("manager"))
            {
                using var contact = await manager.GetAsync($"/api/contacts/{contactId:D}");
                Assert.Equal(HttpStatusCode.OK, contact.StatusCode);
            }

            await node.StopAsync();
            Assert.False(File.Exists(Path.Combine(cluster, "postmaster.pid")), "PostgreSQL stopped with FrontDoor again");
        }
        finally
        {
            Delete(folder);
        }
    }

    /// <summary>A checkout under /root is 0700: the server's account cannot reach a data folder there, and FrontDoor still starts.</summary>
    [Fact]
    public async Task As_root_a_data_folder_the_server_account_cannot_reach_still_runs()
    {
        Assert.SkipUnless(Environment.UserName == "root", "Only root hands the server to another account.");
        var locked = Path.Combine(Path.GetTempPath(), "frontdoor-embedded", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var folder = Path.Combine(locked, "data");
        string? home = null;
        try
        {
            await using var node = await ServerProcess.StartAsync(Embedded(folder), output.WriteLine, readyWithin: TimeSpan.FromSeconds(90));
            Assert.False(Directory.Exists(Path.Combine(folder, "postgres")), "the cluster is kept where its account can reach it");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(locked));
            var contactId = await RecordAndSeeRoutedAsync(node);
            await node.StopAsync();

            // Every later start finds the same cluster: the operators' command joins it and finds the contact.
            await using var store = await FrontDoor.Server.Operations.CliApp.OpenAsync(folder, null, "frontdoor");
            home = Path.GetDirectoryName(store.Embedded!.ClusterFolder);
            Assert.NotEmpty(await store.Events.ReadStreamAsync(FrontDoor.Domain.StreamIds.Contact(contactId)));
        }
        finally
        {
            Delete(locked);
            if (home is not null)
            {
                Delete(home);
            }
        }
    }

    private static ServerSettings Embedded(string folder) =>
        new(ServerSettings.BuiltServerDll(), string.Empty, "frontdoor", folder) { Provider = "embedded" };

    /// <summary>The whole journey on it: recorded, routed, on the team's queue.</summary>
    private static async Task<Guid> RecordAndSeeRoutedAsync(ServerProcess node)
    {
        Guid contactId;
        using (var agent = await node.SignInAsync("agent"))
        {
            using var recorded = await agent.PostAsJsonAsync("/api/contacts", new
            {
                channel = "phone",
                summary = "Eviction notice for next week.",
                needs = new[] { "homelessness" },
                consentToShare = true,
                resident = new { name = "Mary O'Brien", dateOfBirth = "1984-02-09", postcode = "CH65 2AB" },
            });
            Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
            contactId = (await recorded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetGuid();
        }

        using var manager = await node.SignInAsync("manager");
        await Eventually.True(async () => (await manager.GetStringAsync("/api/queues/housing")).Contains(contactId.ToString(), StringComparison.Ordinal), "the contact's referral is on the housing queue");
        return contactId;
    }

    private static void Delete(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
