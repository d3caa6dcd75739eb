using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using FrontDoor.Contracts;

using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// A corpus of hostile requests: injection strings, scripts, path traversal, broken encodings, huge and deep bodies,
/// wrong types and content types. Every one is refused with a 4xx ProblemDetails, none breaks the server, and the
/// log does not move.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly string[] Hostile =
    [
        "' OR 1=1 --",
        "'; DROP TABLE events; --",
        "\" OR \"\"=\"",
        "1; SELECT pg_sleep(5)",
        "robert'); DROP TABLE rm_contacts;--",
        "' UNION SELECT * FROM checkpoints --",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>",
        "javascript:alert(1)",
        "../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "\u0000",
        "nul\u0000byte",
        "\u202Egnp.exe",
        "𝕏𝕏𝕏",
        "%s%s%s%n",
        "{{7*7}}",
        "${jndi:ldap://127.0.0.1/a}",
        "1e309",
        "-99999999999999999999999999",
        "phone\r\nX-Injected: 1",
        new string('A', 5000),
        "housing ",

        // Unicode that looks like something it is not: look-alike letters, invisible characters, decomposed forms.
        "J\u043Ees",
        "\uFEFF",
        "\u200B\u200D\u2060",
        "Zoe\u0308",
        "ho\u00ADusing",
        "ｈｏｕｓｉｎｇ",
    ];

    /// <summary>Names no agent could tell from another person's, or that are no name at all; refused at every door.</summary>
    public static TheoryData<string> HostileNames => new("J\u043Ees Smith", "\u0391lex Jones", "Mar\u0443 Evans", "12345", "!!!", "\u200B-\u200B");

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Bug_20_look_alike_and_letterless_names_are_refused_by_field_at_every_door(string name)
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?> { ["RateLimits:PublicFormPermits"] = "100" });
        var api = await Api.ForAsync(app);
        var head = await app.Store.ReadHeadPositionAsync();

        using var byAgent = await api.PostRecordAsync(Api.Contact("phone", ["housing-advice"], resident: new ResidentDetails(name, "1980-01-01", "CH1 1AA", null, null)));
        using var byForm = await api.Anonymous.PostAsJsonAsync("/api/public/contacts", new { summary = "Please ring me.", consentToShare = true, resident = new { name, phone = "07700 900123" } });

        foreach (var response in new[] { byAgent, byForm })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty("resident.name", out _), await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(head, await app.Store.ReadHeadPositionAsync());
    }

    [Theory]
    [MemberData(nameof(FrontDoorApp.Backends), MemberType = typeof(FrontDoorApp))]
    public async Task Hostile_requests_are_refused_cleanly_and_change_nothing(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"]));
        await app.CaughtUpAsync();
        var referralId = Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;
        var worker = api.Worker("housing");
        var head = await app.Store.ReadHeadPositionAsync();

        var requests = new List<(string What, HttpClient Client, Func<HttpRequestMessage> Build)>();
        foreach (var h in Hostile)
        {
            requests.Add(("channel", api.Client, () => Post("/api/contacts", new { channel = h, summary = h, needs = Array.Empty<string>(), consentToShare = true })));
            requests.Add(("need", api.Client, () => Post("/api/contacts", new { channel = "phone", summary = h, needs = new[] { h }, consentToShare = true })));
            requests.Add(("site", api.Client, () => Post("/api/contacts", new { channel = "lets-talk", siteId = h, summary = h, needs = Array.Empty<string>(), consentToShare = true })));
            requests.Add(("postcode", api.Client, () => Post("/api/contacts", new { channel = "phone", summary = h, needs = Array.Empty<string>(), consentToShare = true, resident = new { name = h, postcode = h, email = h } })));
            // The in-process test server cannot even carry a NUL in a path (Kestrel refuses it with 400 before
            // routing), so those strings are sent in bodies and query strings only.
            if (!h.Contains('\0', StringComparison.Ordinal))
            {
                requests.Add(("queue", api.Manager, () => new HttpRequestMessage(HttpMethod.Get, "/api/queues/" + Uri.EscapeDataString(h))));
                requests.Add(("team work", api.Manager, () => new HttpRequestMessage(HttpMethod.Get, "/api/teams/" + Uri.EscapeDataString(h) + "/work")));
            }

            requests.Add(("resident search", api.Client, () => new HttpRequestMessage(HttpMethod.Post, "/api/residents/search") { Content = JsonContent.Create(new ResidentSearchRequest(h, h, h)) }));
            requests.Add(("return", worker, () => Post($"/api/referrals/{referralId:D}/return", new { reason = h, suggestedService = h })));
            requests.Add(("assignee", api.Manager, () => Post($"/api/referrals/{referralId:D}/assign", new { assignee = h })));
            requests.Add(("note of the wrong shape", worker, () => Post($"/api/referrals/{referralId:D}/notes", new { text = new[] { h } })));
            requests.Add(("suggest", api.Client, () => Post("/api/triage/suggest", new { summary = h, injected = h })));
            requests.Add(("directory", api.Client, () => new HttpRequestMessage(HttpMethod.Get, "/api/directory?need=" + Uri.EscapeDataString(h))));
        }

        requests.Add(("invalid UTF-8", api.Client, () => Raw("/api/contacts", [0x7B, 0x22, 0x73, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D], "application/json")));
        requests.Add(("10 MB body", api.Client, () => Raw("/api/contacts", Encoding.UTF8.GetBytes("{\"summary\":\"" + new string('x', 10 * 1024 * 1024) + "\"}"), "application/json")));
        requests.Add(("1,000-deep JSON", api.Client, () => Raw("/api/contacts", Encoding.UTF8.GetBytes(new string('[', 1000) + new string(']', 1000)), "application/json")));
        requests.Add(("deep object", api.Client, () => Raw("/api/triage/suggest", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000)), "application/json")));
        requests.Add(("huge number", api.Client, () => Raw("/api/contacts", Encoding.UTF8.GetBytes("{\"channel\":\"phone\",\"summary\":\"x\",\"needs\":[],\"consentToShare\":1e99999}"), "application/json")));
        requests.Add(("number as string", api.Client, () => Raw("/api/contacts", Encoding.UTF8.GetBytes("{\"channel\":\"phone\",\"summary\":123456789012345678901234567890,\"needs\":[],\"consentToShare\":true}"), "application/json")));
        requests.Add(("duplicated keys", api.Client, () => Raw("/api/contacts", Encoding.UTF8.GetBytes("{\"channel\":\"phone\",\"channel\":\"web\",\"summary\":\"x\",\"needs\":[],\"consentToShare\":true}"), "application/json")));
        requests.Add(("null body", api.Client, () => Raw("/api/contacts", Encoding.UTF8.GetBytes("null"), "application/json")));
        requests.Add(("empty body", api.Client, () => Raw("/api/contacts", [], "application/json")));
        requests.Add(("array body", api.Client, () => Raw("/api/triage/suggest", Encoding.UTF8.GetBytes("[\"summary\"]"), "application/json")));
        requests.Add(("text/plain", api.Client, () => Raw("/api/contacts", Encoding.UTF8.GetBytes("channel=phone"), "text/plain")));
        requests.Add(("xml", api.Client, () => Raw("/api/contacts", Encoding.UTF8.GetBytes("<contact><channel>phone</channel></contact>"), "application/xml")));
        requests.Add(("form", api.Client, () => Raw("/api/contacts", Encoding.UTF8.GetBytes("channel=phone&summary=x"), "application/x-www-form-urlencoded")));
        requests.Add(("multipart", api.Client, () => Raw("/api/contacts", Encoding.UTF8.GetBytes("--b\r\n\r\nx\r\n--b--"), "multipart/form-data; boundary=b")));
        requests.Add(("id not a guid", api.Client, () => new HttpRequestMessage(HttpMethod.Get, "/api/contacts/' OR 1=1 --")));
        requests.Add(("traversal in id", api.Client, () => new HttpRequestMessage(HttpMethod.Get, "/api/contacts/..%2F..%2Fetc%2Fpasswd")));
        requests.Add(("traversal in path", worker, () => new HttpRequestMessage(HttpMethod.Post, "/api/referrals/../../health/live/claim")));
        requests.Add(("unknown referral", worker, () => new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{Guid.NewGuid():D}/claim")));
        requests.Add(("bad If-Match", worker, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{referralId:D}/claim");
            message.Headers.TryAddWithoutValidation("If-Match", "\"'; DROP TABLE events; --\"");
            return message;
        }
        ));
        requests.Add(("stale If-Match", worker, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{referralId:D}/claim");
            message.Headers.IfMatch.Add(new EntityTagHeaderValue("\"99\""));
            return message;
        }
        ));
        requests.Add(("long idempotency key", api.Client, () =>
        {
            var message = Post("/api/contacts", Api.Contact("phone", ["housing-advice"]));
            message.Headers.Add("Idempotency-Key", new string('k', 5000));
            return message;
        }
        ));
        requests.Add(("long idempotency key on a note", worker, () =>
        {
            var message = Post($"/api/referrals/{referralId:D}/notes", new AddNoteRequest("Rang back."));
            message.Headers.Add("Idempotency-Key", new string('k', 5000));
            return message;
        }
        ));
        requests.Add(("wrong method", api.Client, () => new HttpRequestMessage(HttpMethod.Delete, $"/api/contacts/{contactId:D}")));

        // The resident contact form reads form bodies, not JSON: broken ones are refused as cleanly. Five of them,
        // the form's rate limit for one address, so each is answered for what it is rather than as one too many.
        requests.Add(("form without a multipart boundary", api.Anonymous, () => Raw("/contact-us", Encoding.UTF8.GetBytes("--b\r\n\r\nx\r\n--b--"), "multipart/form-data")));
        requests.Add(("truncated multipart form", api.Anonymous, () => Raw("/contact-us", Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"summary\"\r\n\r\nhelp me"), "multipart/form-data; boundary=b")));
        requests.Add(("form in an unknown charset", api.Anonymous, () => Raw("/contact-us", Encoding.UTF8.GetBytes("summary=help&email=a%40example.org"), "application/x-www-form-urlencoded; charset=x-unknown")));
        requests.Add(("chunked oversized form", api.Anonymous, () =>
        {
            var content = new StreamContent(new UnseekableStream(Encoding.ASCII.GetBytes("summary=" + new string('x', 900 * 1024) + "&email=a%40example.org")));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded");
            return new HttpRequestMessage(HttpMethod.Post, "/contact-us") { Content = content };
        }
        ));
        requests.Add(("cross-site form post", api.Anonymous, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "/contact-us") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["summary"] = "help", ["email"] = "a@example.org" }) };
            message.Headers.Add("Sec-Fetch-Site", "cross-site");
            message.Headers.Add("Origin", "https://evil.example");
            return message;
        }
        ));

        Assert.True(requests.Count >= 200, $"the corpus has {requests.Count} requests");
        var failures = new List<string>();
        foreach (var (what, client, build) in requests)
        {
            using var request = build();
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var type = response.Content.Headers.ContentType?.MediaType;
            if (status is < 400 or >= 500 || type != "application/problem+json")
            {
                failures.Add($"{what} {request.Method} {request.RequestUri}: {status} {type}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(head, await app.Store.ReadHeadPositionAsync());
        Assert.Equal("raised", (await api.ReferralAsync(referralId)).Status);
    }

    private static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path) { Content = JsonContent.Create(body) };

    /// <summary>A body of unknown length: sent chunked, with no Content-Length to check up front.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    private static HttpRequestMessage Raw(string path, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }
}
