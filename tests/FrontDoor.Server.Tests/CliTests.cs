using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;
using FrontDoor.Server.Operations;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>The operators' commands of the server binary, after the app that wrote the data has stopped.</summary>
public sealed class CliTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData(true, "as-of", "12", "queue", "housing")]
    [InlineData(true, "--connection-string", "Host=db", "--schema", "council", "export", "contact", "x")]
    [InlineData(true, "--help")]
    [InlineData(false)]
    [InlineData(false, "--urls", "http://127.0.0.1:5080")]
    [InlineData(false, "--connection-string", "Host=db")]
    [InlineData(false, "--Store:DataFolder", "data", "simulate")]
    public void The_server_binary_runs_a_command_only_when_one_is_named(bool isCommand, params string[] args) =>
        Assert.Equal(isCommand, CliApp.IsCommand(args));

    [Fact]
    public async Task The_server_binary_answers_an_operators_command_without_starting_the_server()
    {
        var app = await FrontDoorApp.StartAsync("postgres");
        app.KeepData = true;
        await app.DisposeAsync();
        try
        {
            var configuration = typeof(CliTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
                .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Release";
            var server = Path.Combine(TestPostgres.RepositoryRoot(), "src", "FrontDoor.Server", "bin", configuration, "net10.0", "FrontDoor.Server.dll");
            var start = new System.Diagnostics.ProcessStartInfo("dotnet", [server, .. app.StoreArguments, "messages"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            try
            {
                await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            }
            finally
            {
                // A binary that started the server instead would never exit.
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }

            Assert.True(process.ExitCode == 0, $"exited {process.ExitCode}: {await error}");
            Assert.Contains("head of the log", await output, StringComparison.Ordinal);
            Assert.DoesNotContain("Now listening", await output, StringComparison.Ordinal);
        }
        finally
        {
            await app.DeleteDataAsync();
        }
    }

    [Theory]
    [MemberData(nameof(FrontDoorApp.Backends), MemberType = typeof(FrontDoorApp))]
    public async Task As_of_replays_a_contact_and_a_queue_exactly_as_they_stood(string backend)
    {
        var app = await FrontDoorApp.StartAsync(backend);
        try
        {
            var api = await Api.ForAsync(app);
            var contactId = await api.RecordAsync(Api.Contact("phone", ["homelessness", "money-and-debt"], "Eviction next week and rent arrears."));
            await app.CaughtUpAsync();

            // Capture the contact and the housing queue as they stand at this position.
            var position = await app.Store.ReadHeadPositionAsync();
            var contactThen = await api.ContactAsync(contactId);
            var queueThen = await api.QueueAsync("housing");

            // Then the world moves on.
            await api.WorkThroughAsync(contactThen.Referrals.Single(r => r.Service == "housing").ReferralId, "Rehoused.");
            await api.ActOkAsync(contactThen.Referrals.Single(r => r.Service == "poverty-support").ReferralId, "claim");
            await app.CaughtUpAsync();
            Assert.Empty((await api.QueueAsync("housing")).Items);

            app.KeepData = true;
            await app.DisposeAsync();

            var contact = await Frontdoor.RunAsync(app, "as-of", position.ToString(System.Globalization.CultureInfo.InvariantCulture), "contact", contactId.ToString("D"));
            Assert.Equal(Normalise(contactThen), Normalise(JsonSerializer.Deserialize<ContactResponse>(contact, Web)!));

            var queue = JsonSerializer.Deserialize<QueueResponse>(await Frontdoor.RunAsync(app, "as-of", position.ToString(System.Globalization.CultureInfo.InvariantCulture), "queue", "housing"), Web)!;
            var then = Assert.Single(queueThen.Items);
            var replayed = Assert.Single(queue.Items);
            Assert.Equal(then.ReferralId, replayed.ReferralId);
            Assert.Equal(then.Status, replayed.Status);
            Assert.Equal(then.Priority, replayed.Priority);
            Assert.Equal(then.Version, replayed.Version);
            Assert.Equal(then.DueAt, replayed.DueAt, TimeSpan.FromMilliseconds(1));

            var now = JsonSerializer.Deserialize<QueueResponse>(await Frontdoor.RunAsync(app, "as-of", DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"), "queue", "housing"), Web)!;
            Assert.Empty(now.Items);
        }
        finally
        {
            await app.DisposeAsync();
            await app.DeleteDataAsync();
        }
    }

    [Theory]
    [MemberData(nameof(FrontDoorApp.Backends), MemberType = typeof(FrontDoorApp))]
    public async Task Export_messages_and_dead_letters_report_from_the_stopped_store(string backend)
    {
        var app = await FrontDoorApp.StartAsync(backend);
        try
        {
            var api = await Api.ForAsync(app);
            var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: new ResidentDetails("Lee Park", "1991-09-09", "CH2 2BB", null, null)));
            await app.CaughtUpAsync();
            await api.WorkThroughAsync(Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId);
            await app.CaughtUpAsync();
            app.KeepData = true;
            await app.DisposeAsync();

            var exported = JsonDocument.Parse(await Frontdoor.RunAsync(app, "export", "contact", contactId.ToString("D"))).RootElement;
            var types = exported.EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
            Assert.Contains("contact-received.v1", types);
            Assert.Contains("resident-registered.v1", types);
            Assert.Contains("referral-raised.v1", types);
            Assert.Contains("referral-completed.v1", types);
            Assert.Contains("contact-follow-up-scheduled.v1", types);
            var positions = exported.EnumerateArray().Select(e => e.GetProperty("position").GetInt64()).ToList();
            Assert.Equal(positions.Order(), positions);

            // Every reaction handled; the check-back and retention dates still wait for their days.
            var messages = await Frontdoor.RunAsync(app, "messages");
            Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"head of the log: {positions.Max()}"), messages, StringComparison.Ordinal);
            Assert.Contains("waiting: 0 ", messages, StringComparison.Ordinal);
            Assert.DoesNotContain("scheduled: 0 ", messages, StringComparison.Ordinal);

            Assert.Contains("0 dead letter(s).", await Frontdoor.RunAsync(app, "dead-letters", "list"), StringComparison.Ordinal);
            Assert.Contains("schema is up to date", await Frontdoor.RunAsync(app, "migrate"), StringComparison.Ordinal);

            using var unknown = new StringWriter();
            Assert.Equal(2, await CliApp.RunAsync([.. app.StoreArguments, "export", "contact", Guid.NewGuid().ToString("D")], new StringWriter(), unknown));
            Assert.Contains("No such contact", unknown.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAsync();
            await app.DeleteDataAsync();
        }
    }

    [Fact]
    public async Task Simulate_refuses_a_duration_it_cannot_read_and_names_the_option()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.NotEqual(0, await CliApp.RunAsync(["simulate", "--url", "http://127.0.0.1:9", "--duration", "soon"], output, error));
        Assert.Contains("--duration: 'soon' is not a duration", error.ToString(), StringComparison.Ordinal);
    }

    private static string Normalise(ContactResponse contact) => JsonSerializer.Serialize(contact, Web);
}
