using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using FrontDoor.Contracts;
using FrontDoor.Testing;

namespace FrontDoor.Reliability.Tests;

/// <summary>
/// Personal data never reaches the disk in the clear: FrontDoor on its embedded PostgreSQL, a resident recorded with
/// distinctive details, looked up, and written about by a worker; then every file of the stopped cluster (tables,
/// indexes, the write-ahead log, pg_xact, the server's log) is read byte by byte, in UTF-8 and UTF-16, for any of it
/// — before the resident is erased as well as after — and so are FrontDoor's own log lines.
/// </summary>
public sealed class PlaintextAtRestTests
{
    private static readonly ResidentDetails Resident = new("Zephaniah Quillfeather", "1947-03-29", "CH7 9XQ", "07700 900987", "zephaniah.quillfeather@example.org");
    private const string Said = "the tangerine umbrella fell on the allotment shed";
    private const string Noted = "spoke with the warden about the marigold corridor";
    private const string Outcome = "a saffron kettle and a tenancy sustainment visit";
    private const string CheckedBack = "joined the cobalt bicycle club";

    private static readonly string[] Needles =
    [
        Resident.Name!, "Zephaniah", "Quillfeather", "zephaniah quillfeather", Resident.DateOfBirth!, "29/03/1947", Resident.Postcode!, "CH79XQ",
        Resident.Phone!, "07700900987", Resident.Email!, "tangerine umbrella", "marigold corridor", "saffron kettle", "cobalt bicycle",
    ];

    [Fact]
    public async Task Bug_19_no_file_of_the_database_holds_a_residents_details_or_words_before_or_after_erasure()
    {
        var folder = Path.Combine(Path.GetTempPath(), "frontdoor-faults", Guid.NewGuid().ToString("N"));
        var cluster = Path.Combine(folder, "postgres");
        var lines = new ConcurrentQueue<string>();
        try
        {
            var settings = new ServerSettings(ServerSettings.BuiltServerDll(), string.Empty, "frontdoor", folder) { Provider = "embedded" };
            await using var node = await ServerProcess.StartAsync(settings, lines.Enqueue);
            using var agent = await node.SignInAsync("agent");
            using var manager = await node.SignInAsync("manager");
            using var worker = await node.SignInAsync("worker", "housing");

            var first = await RecordAsync(agent, "phone", ["homelessness"], $"Caller says {Said} and the landlord wants them out.");
            var second = await RecordAsync(agent, "web", ["money-and-debt"], "Behind on council tax since the spring.");
            await SettledAsync(node);
            var contact = (await manager.GetFromJsonAsync<ContactResponse>($"/api/contacts/{first:D}"))!;
            var residentId = contact.ResidentId!.Value;
            Assert.Equal(residentId, (await manager.GetFromJsonAsync<ContactResponse>($"/api/contacts/{second:D}"))!.ResidentId);

            // "Tell us once" still finds the person by each key it offers.
            foreach (var search in new[] { new ResidentSearchRequest("Quillfeather", null, null), new ResidentSearchRequest("zeph quill", null, null), new ResidentSearchRequest(null, Resident.DateOfBirth, null), new ResidentSearchRequest(null, null, "CH7 9"), new ResidentSearchRequest("Zephaniah", Resident.DateOfBirth, "ch79xq") })
            {
                Assert.Equal(residentId, Assert.Single(await SearchAsync(agent, search)).ResidentId);
            }

            var referral = contact.Referrals.First(r => r.Service == "housing").ReferralId;
            using (var note = await worker.PostAsJsonAsync($"/api/referrals/{referral:D}/notes", new AddNoteRequest($"Visited; {Noted}.")))
            {
                Assert.Equal(HttpStatusCode.Created, note.StatusCode);
            }

            // What staff write about the person: an outcome, and a check-back's note.
            foreach (var (action, body) in new (string, object?)[] { ("claim", null), ("accept", null), ("complete", new CompleteReferralRequest(Outcome)) })
            {
                await ActAsync(worker, referral, action, body);
            }

            var signposted = await RecordAsync(agent, "lets-talk", ["isolation-and-wellbeing"], "Lonely since the winter.", "lets-talk-blacon");
            await SettledAsync(node);
            using (var checkedBack = await agent.PostAsJsonAsync($"/api/contacts/{signposted:D}/follow-up", new CompleteFollowUpRequest(true, $"Rang back: {CheckedBack}.")))
            {
                Assert.Equal(HttpStatusCode.OK, checkedBack.StatusCode);
            }

            await SettledAsync(node);
            await node.StopAsync();

            // The scan reads what is there: the staff directory's names are not personal data of a resident, and are found.
            Assert.Contains(Scan(cluster, ["Alex Agent"]), hit => hit.StartsWith("base", StringComparison.Ordinal));
            Assert.Empty(Scan(folder, Needles));

            await node.StartAgainAsync();
            using var managerAgain = await node.SignInAsync("manager");
            using (var erased = await managerAgain.PostAsJsonAsync($"/api/residents/{residentId:D}/erasure", new EraseResidentRequest("request", "SAR-2026-0919")))
            {
                Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
            }

            await SettledAsync(node);
            using var agentAgain = await node.SignInAsync("agent");
            Assert.Empty(await SearchAsync(agentAgain, new ResidentSearchRequest("Quillfeather", null, null)));
            await node.StopAsync();
            Assert.Empty(Scan(folder, Needles));
            Assert.DoesNotContain(lines, line => Needles.Any(n => line.Contains(n, StringComparison.OrdinalIgnoreCase)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<Guid> RecordAsync(HttpClient agent, string channel, string[] needs, string summary, string? siteId = null)
    {
        using var response = await agent.PostAsJsonAsync("/api/contacts", new RecordContactRequest(channel, siteId, Resident, summary, needs, true));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ContactCreatedResponse>())!.ContactId;
    }

    private static async Task ActAsync(HttpClient worker, Guid referralId, string action, object? body)
    {
        var version = (await worker.GetFromJsonAsync<ReferralResponse>($"/api/referrals/{referralId:D}"))!.Version;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{referralId:D}/{action}") { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{version}\""));
        using var response = await worker.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<IReadOnlyList<ResidentMatch>> SearchAsync(HttpClient agent, ResidentSearchRequest search)
    {
        using var response = await agent.PostAsJsonAsync("/api/residents/search", search);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ResidentSearchResponse>())!.Residents;
    }

    /// <summary>Every reaction handled (routing, linking the resident, shredding a key) before the server is stopped.</summary>
    private static Task SettledAsync(ServerProcess node) => Eventually.True(
        async () => (await node.ReadinessAsync()) is { Status: 200 } ready && ready.Body.GetProperty("messages").GetProperty("waiting").GetInt64() == 0,
        "every reaction handled",
        60);

    /// <summary>Each file under <paramref name="root"/> (the cluster, its log, the node's own files) holding any needle, as UTF-8 or UTF-16 (either byte order), as "path: needle".</summary>
    private static List<string> Scan(string root, IReadOnlyList<string> needles)
    {
        var patterns = needles
            .SelectMany(n => new[] { Encoding.UTF8.GetBytes(n), Encoding.Unicode.GetBytes(n), Encoding.BigEndianUnicode.GetBytes(n) }.Select(bytes => (Needle: n, Bytes: bytes)))
            .ToList();
        var hits = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var content = File.ReadAllBytes(file);
            hits.AddRange(patterns.Where(p => content.AsSpan().IndexOf(p.Bytes) >= 0).Select(p => $"{Path.GetRelativePath(root, file)}: {p.Needle}").Distinct());
        }

        return hits;
    }
}
