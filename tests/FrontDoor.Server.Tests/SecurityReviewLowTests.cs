using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FrontDoor.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FrontDoor.Server.Tests;

/// <summary>The security review's low findings (issue 20), each held to its fix.</summary>
public sealed class SecurityReviewLowTests
{
    private static readonly Dictionary<string, string?> Production = new()
    {
        ["environment"] = "Production",
        ["Auth:Mode"] = "Jwt",
        ["Auth:Jwt:Issuer"] = "https://identity.example.gov.uk",
        ["Auth:Jwt:Audience"] = "frontdoor",
        ["Auth:Jwt:SigningKeys:0"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
    };

    [Fact]
    public async Task Bug_20_production_sends_plain_http_to_https_and_tells_browsers_to_stay_there()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", Production);
        using var plain = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://frontdoor.example.gov.uk"), AllowAutoRedirect = false });
        using var secure = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://frontdoor.example.gov.uk"), AllowAutoRedirect = false });

        using var redirected = await plain.GetAsync("/contact-us?from=leaflet");
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirected.StatusCode);
        Assert.Equal("https://frontdoor.example.gov.uk/contact-us?from=leaflet", redirected.Headers.Location?.ToString());

        using var page = await secure.GetAsync("/contact-us");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var hsts = Assert.Single(page.Headers.GetValues("Strict-Transport-Security"));
        Assert.Contains("max-age=31536000", hsts, StringComparison.Ordinal);
        Assert.Contains("includeSubDomains", hsts, StringComparison.Ordinal);

        // A load balancer probes the node itself over plain http: health answers it rather than redirecting.
        using var probe = await plain.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
    }

    [Fact]
    public async Task Bug_20_behind_a_configured_proxy_the_forwarded_scheme_counts_and_nothing_loops()
    {
        var settings = new Dictionary<string, string?>(Production) { ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.7" };
        await using var app = await FrontDoorApp.StartAsync("postgres", settings, services: services =>
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new FromAddress(IPAddress.Parse("10.0.0.7"))));
        using var plain = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://frontdoor.example.gov.uk"), AllowAutoRedirect = false });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/contact-us");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var response = await plain.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(response.Headers.GetValues("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Bug_20_an_untrusted_address_cannot_claim_https_with_a_forwarded_header()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", Production, services: services =>
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new FromAddress(IPAddress.Parse("203.0.113.9"))));
        using var plain = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://frontdoor.example.gov.uk"), AllowAutoRedirect = false });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/contact-us");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await plain.SendAsync(request);
        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
    }

    [Fact]
    public async Task Bug_20_the_contact_form_refuses_an_oversized_chunked_body_without_echoing_it()
    {
        var declared = new ConcurrentQueue<string>();
        await using var app = await FrontDoorApp.StartAsync("postgres", kestrel: true, services: services =>
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new Observe(http => declared.Enqueue($"{http.Request.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} {http.Request.Headers.TransferEncoding}"))));
        using var client = new HttpClient { BaseAddress = app.Address };
        var body = "summary=" + new string('x', 900 * 1024) + "&name=Sam&email=sam%40example.org&consent=yes";

        // A stream of unknown length goes as a chunked body over a real connection: no Content-Length to check up front.
        using var content = new StreamContent(new UnseekableStream(Encoding.ASCII.GetBytes(body)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/contact-us") { Content = content };
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await client.SendAsync(request);
        Assert.Equal("none chunked", Assert.Single(declared));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(page.Length < 64 * 1024, $"the answer is {page.Length} characters");
        Assert.Contains("govuk-error-summary", page, StringComparison.Ordinal);
        Assert.Equal(0, await app.Store.ReadHeadPositionAsync());
    }

    [Fact]
    public async Task Bug_20_the_contact_form_echoes_no_field_longer_than_the_form_allows()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/contact-us", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["summary"] = new string('s', 4001),
            ["name"] = new string('n', 5000),
            ["email"] = "sam@example.org",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("govuk-error-summary", page, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('n', 201), page, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('s', 4001), page, StringComparison.Ordinal);
        Assert.Equal(0, await app.Store.ReadHeadPositionAsync());
    }

    public static TheoryData<string, string?, string?> CrossSite => new()
    {
        { "Sec-Fetch-Site cross-site", "cross-site", null },
        { "Sec-Fetch-Site same-site", "same-site", null },
        { "another origin", null, "https://evil.example" },
        { "an opaque origin", null, "null" },
        { "same-origin claim with another origin", "same-origin", "https://evil.example" },
    };

    [Theory]
    [MemberData(nameof(CrossSite))]
    public async Task Bug_20_the_contact_form_refuses_posts_from_other_sites(string what, string? fetchSite, string? origin)
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var client = app.CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/contact-us") { Content = HonestForm() };
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        request.Headers.Accept.ParseAdd("text/html");
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what}: {response.StatusCode}");
        Assert.Contains("govuk-error-summary", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.Store.ReadHeadPositionAsync());
    }

    [Fact]
    public async Task Bug_20_the_contact_form_still_takes_posts_from_its_own_page_and_from_older_browsers()
    {
        // ("same-origin", "null") is what Chromium sends from a page whose referrer policy is no-referrer.
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var client = app.CreateClient();

        foreach (var (fetchSite, origin) in new (string?, string?)[] { ("same-origin", "http://localhost"), ("same-origin", "null"), (null, "http://localhost"), (null, null), ("none", null) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/contact-us") { Content = HonestForm() };
            if (fetchSite is not null)
            {
                request.Headers.Add("Sec-Fetch-Site", fetchSite);
            }

            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{fetchSite}/{origin}: {response.StatusCode}");
            Assert.Contains("id=\"reference\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "no multipart boundary", "multipart/form-data", "--b\r\nContent-Disposition: form-data; name=\"summary\"\r\n\r\nhelp\r\n--b--\r\n" },
        { "a boundary past the limit", "multipart/form-data; boundary=" + new string('b', 200), "--" + new string('b', 200) + "\r\n\r\nx" },
        { "a truncated multipart body", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"summary\"\r\n\r\nhelp me with my" },
        { "a truncated part header", "multipart/form-data; boundary=b", "--b\r\nContent-Disposit" },
        { "an unknown charset", "application/x-www-form-urlencoded; charset=x-no-such-charset", "summary=help&email=sam%40example.org" },
        { "a charset the page never sends", "application/x-www-form-urlencoded; charset=utf-16", "summary=help&email=sam%40example.org" },
        { "a broken content type", "application/x-www-form-urlencoded; charset=\"", "summary=help" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Bug_20_malformed_form_bodies_are_a_bad_request_with_no_stack_trace_in_the_log(string what, string contentType, string body)
    {
        var log = new CapturedLog();
        await using var app = await FrontDoorApp.StartAsync("postgres", services: services => services.AddSingleton<ILoggerProvider>(log));
        using var client = app.CreateClient();

        foreach (var accept in new[] { "text/html", "application/json" })
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/contact-us") { Content = content };
            request.Headers.Accept.ParseAdd(accept);
            using var response = await client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what} ({accept}): {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var type = response.Content.Headers.ContentType?.MediaType;
            if (accept == "text/html")
            {
                Assert.Equal("text/html", type);
                Assert.Contains("govuk-error-summary", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal("application/problem+json", type);
            }
        }

        Assert.Empty(log.Exceptions);
        Assert.Equal(0, await app.Store.ReadHeadPositionAsync());
    }

    [Fact]
    public async Task Bug_20_anonymous_readiness_says_ready_and_nothing_else_and_details_need_an_operator()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var anonymous = app.CreateClient();

        using var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var bare = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["status"], bare.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ready", bare.GetProperty("status").GetString());
        Assert.DoesNotContain(Environment.MachineName, await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var refused = await anonymous.GetAsync("/health/ready/details");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var agent = await app.ClientAsAsync("agent");
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/health/ready/details")).StatusCode);

        foreach (var role in new[] { "admin", "manager" })
        {
            using var operatorClient = await app.ClientAsAsync(role);
            using var details = await operatorClient.GetAsync("/health/ready/details");
            Assert.Equal(HttpStatusCode.OK, details.StatusCode);
            var body = await details.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("ready", body.GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("node").GetString()));
            Assert.NotEmpty(body.GetProperty("subscriptions").EnumerateArray());
        }
    }

    [Fact]
    public async Task Bug_20_responses_with_personal_data_are_never_stored_by_a_cache()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact(needs: ["housing-advice"], resident: new Contracts.ResidentDetails("Mary O'Brien", "1984-02-09", "CH65 2AB", null, null)));
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(contactId)).ResidentId!.Value;

        var reads = new List<(string What, HttpClient Client, HttpRequestMessage Request)>
        {
            ("contact", api.Manager, new HttpRequestMessage(HttpMethod.Get, $"/api/contacts/{contactId:D}")),
            ("resident search", api.Client, new HttpRequestMessage(HttpMethod.Get, "/api/residents?name=Mary")),
            ("queue", api.Manager, new HttpRequestMessage(HttpMethod.Get, "/api/queues/housing")),
            ("refused", api.Anonymous, new HttpRequestMessage(HttpMethod.Get, $"/api/contacts/{contactId:D}")),
            ("not found", api.Manager, new HttpRequestMessage(HttpMethod.Get, $"/api/contacts/{Guid.NewGuid():D}")),
            ("recorded", api.Client, new HttpRequestMessage(HttpMethod.Post, "/api/contacts") { Content = JsonContent.Create(Api.Contact(needs: ["housing-advice"])) }),
            ("contact form", api.Anonymous, new HttpRequestMessage(HttpMethod.Post, "/contact-us") { Content = HonestForm() }),
        };
        var subjectAccess = new HttpRequestMessage(HttpMethod.Get, $"/api/residents/{residentId:D}/subject-access");
        subjectAccess.Headers.Accept.ParseAdd("text/html");
        reads.Add(("subject access page", api.Manager, subjectAccess));

        foreach (var (what, client, request) in reads)
        {
            using (request)
            using (var response = await client.SendAsync(request))
            {
                Assert.True(response.Headers.CacheControl?.NoStore == true, $"{what}: {(int)response.StatusCode} Cache-Control '{response.Headers.CacheControl}'");
            }
        }
    }

    public static TheoryData<string, string, string> BadDirectory => new()
    {
        { "javascript: link", "url", "javascript:alert(document.cookie)" },
        { "data: link", "url", "data:text/html,<script>alert(1)</script>" },
        { "relative link", "url", "/evil" },
        { "link with credentials", "url", "https://user:secret@evil.example/" },
        { "markup in the name", "name", "<img src=x onerror=alert(1)>" },
        { "markup in the description", "description", "Help <script>alert(1)</script>" },
        { "control character in the name", "name", "Food\u0007bank" },
        { "markup in the organization", "organization.name", "<b>Org</b>" },
        { "markup in the email", "email", "\"<script>\"@example.org" },
        { "markup in the phone", "contactPhone", "<a href=x>call</a>" },
        { "markup in a service area", "serviceAreas[0]", "<svg onload=alert(1)>" },
        { "markup in a taxonomy", "taxonomies[0]", "food>" },
        { "markup in the status", "status", "<active>" },
    };

    [Theory]
    [MemberData(nameof(BadDirectory))]
    public async Task Bug_20_the_directory_refuses_script_links_and_markup_naming_the_field_and_stores_nothing(string what, string field, string value)
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var admin = await app.ClientAsAsync("admin");
        var before = await admin.GetStringAsync("/api/admin/configuration");
        var head = await app.Store.ReadHeadPositionAsync();

        var service = new Dictionary<string, object?>
        {
            ["id"] = "food-bank",
            ["name"] = "Food bank",
            ["description"] = "Food parcels.",
            ["url"] = "https://foodbank.example.org/",
            ["email"] = "help@foodbank.example.org",
            ["status"] = "active",
            ["organization"] = new Dictionary<string, object?> { ["id"] = "trust", ["name"] = "Trust" },
            ["serviceAreas"] = new[] { "Chester" },
            ["taxonomies"] = new[] { "food" },
            ["contactPhone"] = "01244 000000",
            ["needs"] = new[] { "food-and-fuel" },
        };
        switch (field)
        {
            case "organization.name":
                service["organization"] = new Dictionary<string, object?> { ["id"] = "trust", ["name"] = value };
                break;
            case "serviceAreas[0]":
                service["serviceAreas"] = new[] { value };
                break;
            case "taxonomies[0]":
                service["taxonomies"] = new[] { value };
                break;
            default:
                service[field] = value;
                break;
        }

        using var response = await admin.PutAsJsonAsync("/api/admin/directory", new { services = new[] { service } });
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty($"services[0].{field}", out _), $"{what}: {errors}");
        Assert.Equal(head, await app.Store.ReadHeadPositionAsync());
        Assert.Equal(before, await admin.GetStringAsync("/api/admin/configuration"));
    }

    [Fact]
    public async Task Bug_20_a_clean_directory_with_an_http_or_https_link_is_still_taken()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var admin = await app.ClientAsAsync("admin");
        using var response = await admin.PutAsJsonAsync("/api/admin/directory", new
        {
            services = new[]
            {
                new { id = "food-bank", name = "Food bank (Blacon) & pantry", description = "Food parcels, Tuesday–Friday.", url = "https://foodbank.example.org/blacon?x=1&y=2", email = "help@foodbank.example.org", status = "active", organization = new { id = "trust", name = "St Mary's Trust" }, serviceAreas = new[] { "Chester" }, taxonomies = new[] { "food" }, contactPhone = "01244 000000", needs = new[] { "food-and-fuel" } },
            },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string, string> BadSite => new()
    {
        { "markup in the name", "name", "<script>alert(1)</script>" },
        { "markup in the town", "town", "Chester\"><img src=x>" },
        { "control character in the town", "town", "Ches\u001bter" },
    };

    [Theory]
    [MemberData(nameof(BadSite))]
    public async Task Bug_20_sites_refuse_markup_and_control_characters_naming_the_field(string what, string field, string value)
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var admin = await app.ClientAsAsync("admin");
        var head = await app.Store.ReadHeadPositionAsync();
        var site = new Dictionary<string, object?> { ["id"] = "lets-talk-blacon", ["name"] = "Blacon library", ["kind"] = "lets-talk", ["town"] = "Chester" };
        site[field] = value;

        using var response = await admin.PutAsJsonAsync("/api/admin/sites", new { sites = new[] { site } });
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty($"sites[0].{field}", out _), $"{what}: {errors}");
        Assert.Equal(head, await app.Store.ReadHeadPositionAsync());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Bug_20_the_data_folder_and_signing_key_are_readable_by_their_owner_only()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes only.");
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        await api.RecordAsync(Api.Contact(needs: ["housing-advice"], resident: new Contracts.ResidentDetails("Mary O'Brien", "1984-02-09", "CH65 2AB", null, null)));
        await app.CaughtUpAsync();

        var signingKeyFolder = app.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Store:DataFolder"]!;
        var paths = new[] { signingKeyFolder, Path.Combine(signingKeyFolder, "development-signing.key") };
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        foreach (var path in paths)
        {
            Assert.True(Path.Exists(path), path);
            var mode = File.GetUnixFileMode(path);
            Assert.True((mode & others) == 0, $"{path} is {Convert.ToString((int)mode, 8)}");
        }
    }

    private static FormUrlEncodedContent HonestForm() => new(new Dictionary<string, string>
    {
        ["summary"] = "I need advice about my tenancy.",
        ["needs"] = "housing-advice",
        ["name"] = "Sam Jones",
        ["email"] = "sam@example.org",
        ["consent"] = "yes",
    });

    /// <summary>A body of unknown length, as a client streaming it would send.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>Every request appears to come from one address, as if through a proxy or from a client there.</summary>
    private sealed class FromAddress(IPAddress address) : Observe(http => http.Connection.RemoteIpAddress = address);

    /// <summary>Sees (or sets) something of each request before the app does.</summary>
    private class Observe(Action<Microsoft.AspNetCore.Http.HttpContext> look) : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                look(context);
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <summary>What the app logged with an exception attached (a stack trace in the log).</summary>
    private sealed class CapturedLog : ILoggerProvider
    {
        public ConcurrentQueue<string> Exceptions { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (exception is not null)
                {
                    log.Exceptions.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception.GetType().Name}: {exception.Message}");
                }
            }
        }
    }
}
