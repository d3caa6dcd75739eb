using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FrontDoor.Server.Tests;

public sealed class SecurityTests
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    public static TheoryData<string> Backends => FrontDoorApp.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Reading_a_contact_as_a_worker_appends_exactly_one_access_record(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["homelessness"], resident: new ResidentDetails("Jo Bloggs", "1975-07-07", "CH1 2AB", "07700 900000", null)));
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(contactId)).ResidentId!.Value;
        var head = await app.Store.ReadHeadPositionAsync();

        using var read = await api.Worker("housing").GetAsync($"/api/contacts/{contactId:D}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(head + 1, await app.Store.ReadHeadPositionAsync());
        var log = await api.Manager.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId:D}/access-log");
        var entries = log.GetProperty("entries").EnumerateArray().ToList();
        var byWorker = Assert.Single(entries, e => e.GetProperty("role").GetString() == "worker");
        Assert.Equal("demo-worker-housing", byWorker.GetProperty("viewer").GetString());
        Assert.Equal("housing", byWorker.GetProperty("service").GetString());
        Assert.Equal(contactId, byWorker.GetProperty("contactId").GetGuid());
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_worker_sees_only_their_service_and_personal_details_only_with_consent(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var resident = new ResidentDetails("Ali Khan", "1988-08-08", "CH3 5AA", "07700 900001", "ali@example.org");
        var consented = await api.RecordAsync(Api.Contact("phone", ["homelessness", "money-and-debt"], resident: resident, consent: true));
        var withheld = await api.RecordAsync(Api.Contact("phone", ["homelessness"], resident: resident with { Name = "Bea Khan" }, consent: false));
        await app.CaughtUpAsync();
        var poverty = (await api.ContactAsync(consented)).Referrals.Single(r => r.Service == "poverty-support").ReferralId;

        var housingView = await api.Worker("housing").GetFromJsonAsync<ContactResponse>($"/api/contacts/{consented:D}");
        Assert.Equal("Ali Khan", housingView!.Resident!.Name);
        Assert.All(housingView.Referrals, r => Assert.Equal("housing", r.Service));
        Assert.DoesNotContain(housingView.History, h => h.ReferralId == poverty);

        var noConsent = await api.Worker("housing").GetFromJsonAsync<ContactResponse>($"/api/contacts/{withheld:D}");
        Assert.Null(noConsent!.Resident);
        Assert.NotNull((await api.ContactAsync(withheld)).Resident);

        // Another service's work does not exist as far as this worker can tell.
        using var otherContact = await api.Worker("early-help").GetAsync($"/api/contacts/{consented:D}");
        Assert.Equal(HttpStatusCode.NotFound, otherContact.StatusCode);
        using var otherReferral = await api.Worker("housing").GetAsync($"/api/referrals/{poverty:D}");
        Assert.Equal(HttpStatusCode.NotFound, otherReferral.StatusCode);
        using var otherClaim = await Api.ActAsAsync(api.Worker("housing"), poverty, "claim");
        Assert.Equal(HttpStatusCode.NotFound, otherClaim.StatusCode);
        using var otherQueue = await api.Worker("housing").GetAsync("/api/queues/poverty-support");
        Assert.Equal(HttpStatusCode.Forbidden, otherQueue.StatusCode);
        Assert.Equal("raised", (await api.ReferralAsync(poverty)).Status);
        await app.SettledAsync();
    }

    [Fact]
    public void FrontDoor_refuses_to_start_in_production_without_an_identity_provider()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Store:ConnectionString", Path.Combine(Path.GetTempPath(), "frontdoor-tests", Guid.NewGuid().ToString("N"), "fd.db"));
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("identity provider", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_development_mode_the_demo_sign_in_does_not_exist()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Jwt",
            ["Auth:Jwt:Issuer"] = "https://login.example.gov.uk",
            ["Auth:Jwt:Audience"] = "frontdoor",
            ["Auth:Jwt:SigningKeys:0"] = Convert.ToBase64String(new byte[32]),
        });
        using var client = app.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/dev/token", new { role = "manager" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var figures = await client.GetAsync("/api/figures");
        Assert.Equal(HttpStatusCode.Unauthorized, figures.StatusCode);
    }

    [Fact]
    public async Task A_desk_number_signs_in_one_of_many_people_in_a_role_each_with_their_own_rate_limit()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?> { ["RateLimits:PerUserPerMinute"] = "3" });
        using var anonymous = app.CreateClient();

        using var badDesk = await anonymous.PostAsJsonAsync("/api/dev/token", new { role = "agent", desk = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, badDesk.StatusCode);
        Assert.Contains("desk", await badDesk.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var users = new List<string>();
        foreach (var desk in new[] { 1, 2 })
        {
            using var issued = await anonymous.PostAsJsonAsync("/api/dev/token", new { role = "agent", desk });
            var body = await issued.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            users.Add(body.GetProperty("userId").GetString()!);
            using var client = app.CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
            for (var i = 0; i < 3; i++)
            {
                using var allowed = await client.GetAsync("/api/sites");
                Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            }
        }

        Assert.Equal(["demo-agent-desk-1", "demo-agent-desk-2"], users);
    }

    [Fact]
    public async Task Too_many_requests_get_429_with_retry_after()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?>
        {
            ["RateLimits:PerUserPerMinute"] = "5",
            ["RateLimits:PublicFormPermits"] = "2",
        });
        using var agent = await app.ClientAsAsync("agent");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await agent.GetAsync("/api/sites");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.True(statuses.Take(4).All(s => s == HttpStatusCode.OK));

        using var anonymous = app.CreateClient();
        var form = new { summary = "Please call me about my council tax.", consentToShare = true, resident = new { name = "Sam", phone = "01244 000001" } };
        var submitted = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await anonymous.PostAsJsonAsync("/api/public/contacts", form);
            submitted.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], submitted);
    }

    [Fact]
    public async Task Responses_carry_the_security_headers()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var client = app.CreateClient();

        foreach (var path in new[] { "/health/live", "/sign-in/", "/api/figures" })
        {
            using var response = await client.GetAsync(path);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task The_public_contact_form_lands_in_front_door_triage(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);

        using var response = await api.Anonymous.PostAsJsonAsync("/api/public/contacts", new
        {
            summary = "My mum can't manage the stairs any more.",
            consentToShare = true,
            resident = new { name = "Chris Price", email = "chris@example.org" },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Matches("^[0-9A-F]{8}$", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString());
        await app.CaughtUpAsync();

        var item = Assert.Single((await api.QueueAsync("front-door-triage")).Items);
        var contact = await api.ContactAsync(item.ContactId);
        Assert.Equal("web", contact.Channel);
        Assert.Equal("resident:web-form", contact.History[0].Actor);

        using var noReply = await api.Anonymous.PostAsJsonAsync("/api/public/contacts", new { summary = "Help", consentToShare = true });
        Assert.Equal(HttpStatusCode.BadRequest, noReply.StatusCode);
        await app.SettledAsync();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task An_admin_changes_routing_by_an_event_that_names_them_and_routing_follows(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var configuration = await api.Admin.GetFromJsonAsync<JsonElement>("/api/admin/configuration");
        var routes = configuration.GetProperty("routing").GetProperty("routes").Deserialize<List<Dictionary<string, string?>>>(WebJson)!;
        Assert.Equal(0, configuration.GetProperty("routing").GetProperty("version").GetInt64());

        // The council decides money-and-debt is urgent.
        routes.Single(r => r["need"] == "money-and-debt")["priority"] = "urgent";
        using var change = new HttpRequestMessage(HttpMethod.Put, "/api/admin/routing") { Content = JsonContent.Create(new { routes }) };
        change.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"0\""));
        using var changed = await api.Admin.SendAsync(change);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Put, "/api/admin/routing") { Content = JsonContent.Create(new { routes }) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"0\""));
        using var refused = await api.Admin.SendAsync(stale);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);

        using var bad = await api.Admin.PutAsJsonAsync("/api/admin/routing", new { routes = new[] { new { need = "money-and-debt", service = "parks", priority = "urgent" } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var contactId = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"]));
        await app.CaughtUpAsync();
        Assert.Equal("urgent", Assert.Single((await api.ContactAsync(contactId)).Referrals).Priority);

        var recorded = await app.Store.ReadStreamAsync("configuration-routing");
        var only = Assert.Single(recorded);
        Assert.Equal("routing-table-changed.v1", only.Type);
        Assert.Equal("demo-admin", JsonDocument.Parse(only.Data).RootElement.GetProperty("actor").GetString());
        await app.SettledAsync();
    }
}
