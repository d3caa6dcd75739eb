using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Server.Infrastructure.Hosting;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FrontDoor.Server.Tests;

/// <summary>The findings of the security review of issue 20, each as it was found, so none can come back.</summary>
public sealed class RedTeamFindingsTests
{
    private static readonly ResidentDetails Jo = new("Jo Whitfield", "1971-03-14", "CH4 7QP", "07700 900111", null);

    private static readonly byte[] SigningKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public static TheoryData<string> Backends => FrontDoorApp.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Bug_20_the_public_form_never_changes_a_known_residents_consent_details_or_links(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);

        // On the phone Jo refused consent to share.
        var byPhone = await api.RecordAsync(Api.Contact("phone", ["homelessness"], "Served notice to leave.", resident: Jo, consent: false));
        await app.CaughtUpAsync();
        var residentId = (await api.ContactAsync(byPhone)).ResidentId!.Value;

        // Someone who knows Jo's name, date of birth and postcode submits the public form with consent ticked.
        using var submitted = await api.Anonymous.PostAsJsonAsync("/api/public/contacts", new
        {
            summary = "Please share everything with every team.",
            consentToShare = true,
            resident = new { name = "jo  whitfield", dateOfBirth = "1971-03-14", postcode = "ch47qp", phone = "07700 900999" },
        });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        await app.CaughtUpAsync();

        // Jo's record is as Jo left it: no consent, one contact, details hidden from housing.
        var consent = await api.Client.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId:D}/consent");
        Assert.Empty(consent.GetProperty("services").EnumerateArray());
        var found = Assert.Single((await api.SearchAsync(name: "Jo Whitfield", dateOfBirth: "1971-03-14", postcode: "CH4 7QP")).Residents, r => r.ResidentId == residentId);
        Assert.Equal(1, found.ContactCount);
        Assert.Null((await ContactAsync(api.Worker("housing"), byPhone)).Resident);

        // The web contact stands on its own record, keeps the new phone number, and only suggests Jo.
        var web = Assert.Single((await api.QueueAsync("front-door-triage")).Items).ContactId;
        var webContact = await api.ContactAsync(web);
        Assert.NotEqual(residentId, webContact.ResidentId);
        Assert.Equal(residentId, webContact.SuggestedResidentId);
        Assert.Null(webContact.ConfirmedResidentId);
        Assert.Equal("07700 900999", webContact.Resident!.Phone);

        // An agent who has called Jo back confirms it is her, and records the consent she gave them: to share with
        // the teams the contact is referred to. It waits in triage, so nothing is shared yet; once triage sends it to
        // housing, housing may see her details, and no other team.
        using var confirmed = await api.Client.PostAsJsonAsync($"/api/contacts/{web:D}/resident", new { residentId, consentToShare = true });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        await app.CaughtUpAsync();
        consent = await api.Client.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId:D}/consent");
        Assert.Empty(consent.GetProperty("services").EnumerateArray());
        var triage = Assert.Single((await api.ContactAsync(web)).Referrals).ReferralId;
        await api.ActOkAsync(triage, "return", new ReturnReferralRequest("Needs housing advice.", "housing"));
        await app.CaughtUpAsync();
        consent = await api.Client.GetFromJsonAsync<JsonElement>($"/api/residents/{residentId:D}/consent");
        Assert.Equal(["housing"], consent.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(2, Assert.Single((await api.SearchAsync(name: "Jo Whitfield", dateOfBirth: "1971-03-14")).Residents, r => r.ResidentId == residentId).ContactCount);
        Assert.Equal(residentId, (await api.ContactAsync(web)).ConfirmedResidentId);

        // Confirming an unknown resident is refused by field and changes nothing.
        using var unknown = await api.Client.PostAsJsonAsync($"/api/contacts/{web:D}/resident", new { residentId = Guid.NewGuid(), consentToShare = true });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("residentId", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var anonymous = await api.Anonymous.PostAsJsonAsync($"/api/contacts/{web:D}/resident", new { residentId, consentToShare = false });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // Erasing Jo erases what the confirmed web contact said too, though it was sealed under a record of its own.
        using var erased = await api.Manager.PostAsJsonAsync($"/api/residents/{residentId:D}/erasure", new { basis = "request", reference = "SAR-2026-0042" });
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var afterErasure = await api.ContactAsync(web);
        Assert.True(afterErasure.SummaryErased);
        Assert.True(afterErasure.Resident!.Erased);
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_20_the_public_form_does_the_same_work_whether_or_not_the_person_is_known()
    {
        var calls = new ConcurrentQueue<string>();
        await using var app = await FrontDoorApp.StartAsync("postgres", services: services =>
        {
            services.AddHttpContextAccessor();
            services.AddSingleton<IEventLog>(provider => RecordingEventLog.Wrap(
                provider.GetRequiredService<FrontDoor.Server.Infrastructure.Store.StoreConnection>().Events,
                provider.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>(),
                calls));
        });
        var api = await Api.ForAsync(app);
        await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Jo));
        await app.CaughtUpAsync();

        async Task<string[]> SubmitAsync(object resident)
        {
            calls.Clear();
            using var response = await api.Anonymous.PostAsJsonAsync("/api/public/contacts", new { summary = "Please ring me back.", consentToShare = true, resident });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return [.. calls];
        }

        var known = await SubmitAsync(new { name = Jo.Name, dateOfBirth = Jo.DateOfBirth, postcode = Jo.Postcode, phone = "07700 900222" });
        var unknown = await SubmitAsync(new { name = "Nobody Known", dateOfBirth = "1990-01-01", postcode = "CH1 1AA", phone = "07700 900333" });

        Assert.NotEmpty(known);
        Assert.Equal(unknown, known);
        await app.SettledAsync();
    }

    [Theory]
    [InlineData("Staging")]
    [InlineData("Test")]
    [InlineData("UAT")]
    [InlineData("Production")]
    public void Bug_20_the_demo_sign_in_exists_only_in_the_development_environment(string environment)
    {
        var error = StartFails(environment, new() { ["Auth:Mode"] = "Development" });
        Assert.Contains("Auth:Mode=Development", error, StringComparison.Ordinal);
        Assert.Contains(environment, error, StringComparison.Ordinal);

        // Nor may such an environment start with no identity provider at all.
        error = StartFails(environment, []);
        Assert.Contains("Auth:Mode is not set", error, StringComparison.Ordinal);
        Assert.Contains("Auth:Jwt:Audience", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bug_20_a_tokens_own_frontdoor_claims_are_discarded()
    {
        await using var app = await JwtAppAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token(
            [new("frontdoor:service", "adult-social-care"), new("role", "worker"), new("service", "housing")]));

        using var theirs = await client.GetAsync("/api/queues/adult-social-care");
        Assert.Equal(HttpStatusCode.Forbidden, theirs.StatusCode);
        using var own = await client.GetAsync("/api/queues/housing");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task Bug_20_a_token_valid_for_longer_than_the_maximum_is_refused()
    {
        await using var app = await JwtAppAsync();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token([new("role", "manager")], lifetime: TimeSpan.FromDays(30)));
        using var refused = await client.GetAsync("/api/figures");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        client.DefaultRequestHeaders.Authorization = new("Bearer", Token([new("role", "manager")], lifetime: TimeSpan.FromHours(1)));
        using var accepted = await client.GetAsync("/api/figures");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Bug_20_a_hub_connection_closes_when_its_token_expires()
    {
        await using var app = await JwtAppAsync();
        await using var hub = await HubConnections.ConnectAsync(app, Token([new("role", "worker"), new("service", "housing")], lifetime: TimeSpan.FromSeconds(3)));
        await hub.InvokeAsync("WatchQueue", "housing", null);

        await hub.Closed.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Bug_20_every_hub_call_checks_the_token_has_not_expired()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var anonymous = app.CreateClient();
        await using var hub = await HubConnections.ConnectAsync(app, await FrontDoorApp.TokenAsync(anonymous, "worker", "housing"));
        await hub.InvokeAsync("WatchQueue", "housing", null);

        app.Clock.Advance(TimeSpan.FromHours(9));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => hub.InvokeAsync("WatchQueue", "housing", null));
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bug_20_hub_connections_and_calls_are_limited_per_user()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?>
        {
            ["Live:MaxConnectionsPerUser"] = "2",
            ["Live:InvocationsPerUserPerMinute"] = "3",
        });
        using var anonymous = app.CreateClient();
        var token = await FrontDoorApp.TokenAsync(anonymous, "worker", "housing");

        // A client's start completes at the handshake, before the server admits the connection, so which of three
        // quick connections the server turns away is a race: the rule is that exactly one of them is.
        var connections = new[]
        {
            await HubConnections.ConnectAsync(app, token),
            await HubConnections.ConnectAsync(app, token),
            await HubConnections.ConnectAsync(app, token),
        };
        try
        {
            // The one turned away is the last the server admits, so once it has closed the other two are in.
            await Task.WhenAny(connections.Select(c => c.Closed)).WaitAsync(TimeSpan.FromSeconds(30));
            var open = connections.Where(c => !c.Closed.IsCompleted).ToArray();
            Assert.Equal(2, open.Length);

            for (var i = 0; i < 3; i++)
            {
                await open[0].InvokeAsync("WatchQueue", "housing", null);
            }

            var error = await Assert.ThrowsAnyAsync<Exception>(() => open[1].InvokeAsync("WatchQueue", "housing", null));
            Assert.Contains("Too many", error.Message, StringComparison.Ordinal);

            // A connection given up frees its place (once the server has seen it go).
            await open[0].DisposeAsync();
            for (var attempt = 0; ; attempt++)
            {
                var again = await HubConnections.ConnectAsync(app, token);
                if (await Task.WhenAny(again.Closed, Task.Delay(TimeSpan.FromMilliseconds(500))) != again.Closed)
                {
                    await again.DisposeAsync();
                    break;
                }

                await again.DisposeAsync();
                Assert.True(attempt < 20, "The closed connection's place was never given back.");
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("Jo Whit\u200Bfield", "zero-width space")]
    [InlineData("\uFEFFJo Whitfield", "byte order mark")]
    [InlineData("Jo Whit\u00ADfield", "soft hyphen")]
    [InlineData("Jo Whitfield\u0000", "NUL")]
    [InlineData("Jo  Whitfield\u2028", "line separator")]
    [InlineData("Jo Ｗhitfield", "full-width letter")]
    public async Task Bug_20_names_that_look_alike_are_one_resident(string lookAlike, string why)
    {
        Assert.NotEmpty(why);
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var first = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Jo));
        var second = await api.RecordAsync(Api.Contact("phone", ["money-and-debt"], resident: Jo with { Name = lookAlike }));
        await app.CaughtUpAsync();

        var resident = (await api.ContactAsync(first)).ResidentId;
        Assert.Equal(resident, (await api.ContactAsync(second)).ResidentId);
        Assert.Equal("Jo Whitfield", (await api.ContactAsync(second)).Resident!.Name);
        Assert.Single((await api.SearchAsync(name: lookAlike)).Residents);
    }

    [Fact]
    public async Task Bug_20_decomposed_accents_are_the_same_name()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var composed = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Jo with { Name = "Zo\u00EB Whitfield" }));
        var decomposed = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Jo with { Name = "Zoe\u0308 Whitfield" }));
        Assert.Equal((await api.ContactAsync(composed)).ResidentId, (await api.ContactAsync(decomposed)).ResidentId);
        await app.SettledAsync();
    }

    [Theory]
    [InlineData("J\u043E Whitfield")] // Cyrillic o
    [InlineData("\u0391lex Jones")] // Greek capital alpha
    [InlineData("!!! ???")]
    [InlineData("12345")]
    [InlineData("\u200B\u200B")]
    public async Task Bug_20_names_with_no_letters_or_mixed_alphabets_are_refused(string name)
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        using var response = await api.PostRecordAsync(Api.Contact("phone", ["housing-advice"], resident: Jo with { Name = name }));

        // A name made only of invisible characters is no name: the contact is kept without a resident.
        if (FrontDoor.Domain.Residents.ResidentName.Clean(name) is null)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<ContactCreatedResponse>();
            Assert.Null((await api.ContactAsync(body!.ContactId)).ResidentId);
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("resident.name", out _));
        Assert.Empty((await api.QueueAsync("housing")).Items);
    }

    [Fact]
    public async Task Bug_20_search_terms_hub_tokens_and_hub_arguments_never_reach_the_logs()
    {
        var logs = new CapturedLogs();
        await using var app = await FrontDoorApp.StartAsync(
            "postgres",
            new Dictionary<string, string?>
            {
                // As when the app starts without its appsettings.json: everything at Information.
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            },
            services: services => services.AddSingleton<ILoggerProvider>(logs));
        var api = await Api.ForAsync(app);
        await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: Jo with { Name = "Quentin Marchbanks" }));
        await app.CaughtUpAsync();

        Assert.Single((await api.SearchAsync(name: "Quentin Marchbanks", dateOfBirth: Jo.DateOfBirth)).Residents);
        using var oldSearch = await api.Client.GetAsync("/api/residents?name=Quentin%20Marchbanks");
        Assert.NotEqual(HttpStatusCode.OK, oldSearch.StatusCode);

        using var anonymous = app.CreateClient();
        var token = await FrontDoorApp.TokenAsync(anonymous, "worker", "housing");
        await using (var hub = await HubConnections.ConnectAsync(app, token))
        {
            await hub.InvokeAsync("WatchQueue", "housing", null);
            var error = await Assert.ThrowsAnyAsync<Exception>(() => hub.InvokeAsync("WatchQueue", "housing\n[forged] admin signed in", null));
            Assert.DoesNotContain("forged", error.Message, StringComparison.Ordinal);
        }

        await app.CaughtUpAsync();
        Assert.NotEmpty(logs.Lines);
        var all = string.Join("\n", logs.Lines);
        Assert.DoesNotContain("Quentin", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Marchbanks", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, all, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", all, StringComparison.Ordinal);
        Assert.DoesNotContain("[forged]", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bug_20_a_reused_idempotency_key_with_a_different_request_is_refused()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var request = Api.Contact("phone", ["housing-advice"], "Needs a repair.", resident: Jo);
        var contactId = await api.RecordAsync(request, idempotencyKey: "call-0917");

        Assert.Equal(contactId, await api.RecordAsync(request, idempotencyKey: "call-0917"));
        using var different = await api.PostRecordAsync(request with { Summary = "Something else entirely." }, idempotencyKey: "call-0917");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
        Assert.Contains("Idempotency-Key", await different.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Needs a repair.", (await api.ContactAsync(contactId)).Summary);
        await app.SettledAsync();
    }

    [Fact]
    public void Bug_20_settings_and_page_shells_are_found_whatever_the_working_folder()
    {
        var working = Directory.CreateTempSubdirectory("frontdoor-cwd").FullName;
        var build = Directory.CreateTempSubdirectory("frontdoor-build").FullName;
        try
        {
            Assert.Null(ContentRoot.Find(working, build, configuredElsewhere: false));
            File.WriteAllText(Path.Combine(build, ContentRoot.SettingsFile), "{}");
            Assert.Equal(build, ContentRoot.Find(working, build, configuredElsewhere: false));
            Assert.Null(ContentRoot.Find(working, build, configuredElsewhere: true));
            File.WriteAllText(Path.Combine(working, ContentRoot.SettingsFile), "{}");
            Assert.Null(ContentRoot.Find(working, build, configuredElsewhere: false));

            // The build's output carries what the content root must hold.
            var output = AppContext.BaseDirectory;
            Assert.True(File.Exists(Path.Combine(output, ContentRoot.SettingsFile)));
            Assert.True(File.Exists(Path.Combine(output, "Pages", "Shells", "agent.html")));
        }
        finally
        {
            Directory.Delete(working, recursive: true);
            Directory.Delete(build, recursive: true);
        }
    }

    private static async Task<ContactResponse> ContactAsync(HttpClient client, Guid contactId) =>
        (await client.GetFromJsonAsync<ContactResponse>($"/api/contacts/{contactId:D}"))!;

    private static string StartFails(string environment, Dictionary<string, string?> settings)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("Store:ConnectionString", Path.Combine(Path.GetTempPath(), "frontdoor-tests", Guid.NewGuid().ToString("N"), "fd.db"));
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });
        return Assert.ThrowsAny<Exception>(() => factory.CreateClient()).ToString();
    }

    private static Task<FrontDoorApp> JwtAppAsync() => FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?>
    {
        ["Auth:Mode"] = "Jwt",
        ["Auth:Jwt:Issuer"] = "https://login.example.gov.uk",
        ["Auth:Jwt:Audience"] = "frontdoor",
        ["Auth:Jwt:SigningKeys:0"] = Convert.ToBase64String(SigningKey),
    });

    /// <summary>A token as the council's identity provider would issue it, claims in the order given.</summary>
    private static string Token(IReadOnlyList<Claim> claims, TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        var payload = new Dictionary<string, object> { ["sub"] = "idp-user-" + Guid.NewGuid().ToString("N")[..8], ["name"] = "Pat Tester" };
        foreach (var claim in claims)
        {
            payload[claim.Type] = claim.Value;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://login.example.gov.uk",
            Audience = "frontdoor",
            Claims = payload,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>An event store that notes each call the public form makes and the category of stream it touched, then does it.</summary>
    public class RecordingEventLog : DispatchProxy
    {
        private IEventLog _inner = null!;
        private Microsoft.AspNetCore.Http.IHttpContextAccessor _http = null!;
        private ConcurrentQueue<string> _calls = null!;

        public static IEventLog Wrap(IEventLog inner, Microsoft.AspNetCore.Http.IHttpContextAccessor http, ConcurrentQueue<string> calls)
        {
            var proxy = Create<IEventLog, RecordingEventLog>();
            var recording = (RecordingEventLog)(object)proxy;
            recording._inner = inner;
            recording._http = http;
            recording._calls = calls;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (_http.HttpContext?.Request.Path == "/api/public/contacts")
            {
                var stream = args?.FirstOrDefault() as string;
                _calls.Enqueue($"{targetMethod?.Name}({stream?.Split('-')[0]})");
            }

            try
            {
                return targetMethod!.Invoke(_inner, args);
            }
            catch (TargetInvocationException invocation) when (invocation.InnerException is not null)
            {
                throw invocation.InnerException;
            }
        }
    }
}
