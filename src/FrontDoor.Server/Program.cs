using FrontDoor.Server;
using FrontDoor.Server.Administering;
using FrontDoor.Server.Auditing;
using FrontDoor.Server.Catalogue.ListingCatalogue;
using FrontDoor.Server.Contacts.CompletingFollowUp;
using FrontDoor.Server.Contacts.ConfirmingResident;
using FrontDoor.Server.Contacts.ContactingTheCouncil;
using FrontDoor.Server.Contacts.RecordingContact;
using FrontDoor.Server.Contacts.ViewingContact;
using FrontDoor.Server.Figures.ListingWork;
using FrontDoor.Server.Figures.ViewingFigures;
using FrontDoor.Server.Infrastructure.Health;
using FrontDoor.Server.Infrastructure.Hosting;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Messaging;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Infrastructure.Telemetry;
using FrontDoor.Server.Live;
using FrontDoor.Server.Operations;
using FrontDoor.Server.Pages;
using FrontDoor.Server.Queues.ViewingMyWork;
using FrontDoor.Server.Queues.ViewingQueue;
using FrontDoor.Server.Queues.ViewingTeamWork;
using FrontDoor.Server.ReadModels;
using FrontDoor.Server.Referrals.ActingOnReferral;
using FrontDoor.Server.Referrals.AddingNote;
using FrontDoor.Server.Referrals.Assigning;
using FrontDoor.Server.Referrals.ReassigningReferral;
using FrontDoor.Server.Referrals.ViewingReferral;
using FrontDoor.Server.Residents.AccessingSubjectData;
using FrontDoor.Server.Residents.ApplyingRetention;
using FrontDoor.Server.Residents.ErasingResident;
using FrontDoor.Server.Residents.FindingResident;
using FrontDoor.Server.Residents.MergingResidents;
using FrontDoor.Server.Residents.RecordingConsent;
using FrontDoor.Server.Routing;
using FrontDoor.Server.SigningIn;
using FrontDoor.Server.Sla;
using FrontDoor.Server.Staff;
using FrontDoor.Server.Triage.SuggestingNeeds;
using JasperFx;
using Microsoft.AspNetCore.SignalR;

// The operators' commands run from the same binary as the server; they never start the web host.
if (CliApp.IsCommand(args))
{
    return await CliApp.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.ForThisProcess(args) });
var storeOptions = builder.Configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
builder.Services.AddFrontDoorSchema(KeyRingSource.From(builder.Configuration, storeOptions.DefaultKeyRingFile(builder.Environment.ContentRootPath)));

// Logs carry trace ids, and outside Development they are JSON lines for a collector to parse.
builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
if (!builder.Environment.IsDevelopment())
{
    builder.Logging.ClearProviders();
    builder.Logging.AddJsonConsole(options => options.IncludeScopes = true);
}

// Request lines carry the query string (the hub's access_token among them): no setting may bring them back.
foreach (var category in new[] { "Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Http.Connections" })
{
    builder.Logging.AddFilter(category, LogLevel.Warning);
    builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(category, LogLevel.Warning);
}

// The store's server is known before the host is built: Marten, and Wolverine's messages with it, are configured with its address.
StoreServer server;
using (var startUpLogs = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole()))
{
    server = await StoreServer.PrepareAsync(storeOptions, builder.Environment.ContentRootPath, ownEmbeddedServer: true, startUpLogs.CreateLogger<EmbeddedPostgres>());
}

try
{
    return await ServeAsync();
}
finally
{
    // The host stops the embedded server when it disposes the store; a run that never opened the store (a JasperFx
    // command, a start-up refused for its configuration) must not leave it running either. Stopping twice is a no-op.
    if (server.Embedded is { } embedded)
    {
        await embedded.DisposeAsync();
    }
}

async Task<int> ServeAsync()
{
    builder.Services.AddEventLog(builder.Configuration, server);
    builder.Host.UseFrontDoorMessaging(builder.Configuration, embedded: server.Embedded is not null);

    builder.Services.AddFrontDoorTelemetry(builder.Configuration);
    PolicyConfiguration.Register(builder.Services, builder.Configuration);

    // What reacts to the log: each reaction is a Wolverine message recorded in the transaction of the append it
    // reacts to, handled on a durable local queue.
    builder.Services.AddSingleton<IAppendOutbox, WolverineAppendOutbox>();
    ContactRouter.Register(builder.Services);
    ShredSubjectKeyHandler.Register(builder.Services);
    DeadlineScheduler.Register(builder.Services);
    RetentionScheduler.Register(builder.Services);
    builder.Services.AddSingleton<PersonalDataVault>();
    builder.Services.AddSingleton<PersonalDataErasure>();
    builder.Services.AddSingleton(builder.Configuration.GetSection(RetentionOptions.Section).Get<RetentionOptions>() ?? new RetentionOptions());
    builder.Services.AddSingleton(builder.Configuration.GetSection(HubLimits.Section).Get<HubLimits>() ?? new HubLimits());
    builder.Services.AddSingleton<HubAdmission>();
    builder.Services.AddSignalR(options => options.AddFilter<HubAdmission>());
    builder.Services.AddSingleton<LiveWatchers>();
    builder.Services.AddSingleton<Microsoft.AspNetCore.SignalR.HubLifetimeManager<TriageHub>, WatchedHubLifetimeManager>();
    builder.Services.AddSingleton<IDashboardConnections>(services => services.GetRequiredService<LiveWatchers>());
    builder.Services.AddSingleton<LivePushes>();
    builder.Services.AddHostedService(services => services.GetRequiredService<LivePushes>());

    builder.Services.AddSingleton<AccessRecorder>();
    builder.Services.AddSingleton<StaffDirectory>();
    builder.Services.AddSingleton<IStaffDirectory>(services => services.GetRequiredService<StaffDirectory>());
    builder.Services.AddFrontDoorSecurity(builder.Configuration, builder.Environment);
    builder.Services.AddHardening(builder.Configuration);

    // Kestrel's own ceiling for any request; the API's JSON bodies are held to a far smaller limit as they are read.
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1024 * 1024);

    builder.Services.AddProblemDetails();
    builder.Services.AddExceptionHandler<ProblemMapping>();
    builder.Services.AddOpenApi("v1");

    var app = builder.Build();

    // JasperFx's commands for the host as configured: "codegen write" generates Wolverine's handler code ahead of time (see
    // MessagingRegistration), "describe" prints the configuration, "resources check" and "storage counts" look at the
    // message store. They need the host built, so they run here rather than with FrontDoor's own commands.
    if (args is [var first, ..] && JasperFxCommands.Contains(first))
    {
        return await app.RunJasperFxCommands(args);
    }

    app.UseTransportSecurity();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseSecurityHeaders();
    app.UseStaticFiles();
    app.UseRouting();
    app.UseAuthentication();
    app.UseRateLimiter();
    app.UseAuthorization();

    app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(Policies.Staff);
    app.MapHealth();
    app.MapDevToken();
    app.MapPublicContact();
    app.MapAccessLog();
    app.MapReassignReferral();
    app.MapAdministration();
    app.MapContactUsPage();
    app.MapCheckRequestPage();
    app.MapPages();
    app.MapHub<TriageHub>(TriageHub.Path, options =>
        {
            options.TransportSendTimeout = app.Configuration.GetValue("Live:SendTimeout", TimeSpan.FromSeconds(10));
            options.CloseOnAuthenticationExpiration = true;
        })
        .RequireAuthorization(Policies.Caseworker);
    app.MapRecordContact();
    app.MapViewContact();
    app.MapCompleteFollowUp();
    app.MapConfirmResident();
    app.MapViewReferral();
    app.MapResidentWork();
    app.MapReferralActions();
    app.MapAddNote();
    app.MapAssignReferral();
    app.MapViewQueue();
    app.MapMyWork();
    app.MapTeamWork();
    app.MapSuggestNeeds();
    app.MapCatalogue();
    app.MapFindResident();
    app.MapConsent();
    app.MapEraseResident();
    app.MapMergeResidents();
    app.MapSubjectAccess();
    app.MapViewFigures();
    app.MapWorkLists();

    // Open the store (and migrate it) before the first request, so a bad configuration stops start-up loudly.
    _ = app.Services.GetRequiredService<StoreConnection>();

    await app.RunAsync();
    return 0;
}

/// <summary>The application's entry point, visible to integration tests.</summary>
public partial class Program
{
    private static readonly HashSet<string> JasperFxCommands = new(StringComparer.Ordinal) { "codegen", "describe", "resources", "storage", "check-env" };
}
