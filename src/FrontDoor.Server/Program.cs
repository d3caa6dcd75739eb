using FrontDoor.Server;
using FrontDoor.Server.Catalogue.ListingCatalogue;
using FrontDoor.Server.Contacts.CompletingFollowUp;
using FrontDoor.Server.Contacts.RecordingContact;
using FrontDoor.Server.Contacts.ViewingContact;
using FrontDoor.Server.Figures.ViewingFigures;
using FrontDoor.Server.Infrastructure.Health;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Infrastructure.Subscriptions;
using FrontDoor.Server.Queues.ViewingQueue;
using FrontDoor.Server.ReadModels;
using FrontDoor.Server.Referrals.ActingOnReferral;
using FrontDoor.Server.Referrals.ViewingReferral;
using FrontDoor.Server.Residents.FindingResident;
using FrontDoor.Server.Routing;
using FrontDoor.Server.Sla;
using FrontDoor.Server.Triage.SuggestingNeeds;

var builder = WebApplication.CreateBuilder(args);

foreach (var migration in ReadModelSchema.ForPostgres())
{
    builder.Services.AddSingleton(migration);
}

foreach (var migration in ReadModelSchema.ForSqlite())
{
    builder.Services.AddSingleton(migration);
}

builder.Services.AddEventStore(builder.Configuration);
builder.Services.AddSubscriptionRuntime(builder.Configuration);
PolicyConfiguration.Register(builder.Services, builder.Configuration);

builder.Services.AddSubscription<ContactRouter>(ContactRouter.Name);
builder.Services.AddSubscription<ContactsProjection>(ContactsProjection.Name);
builder.Services.AddSubscription<ReferralsProjection>(ReferralsProjection.Name);
builder.Services.AddSubscription<ResidentsProjection>(ResidentsProjection.Name);
builder.Services.AddHostedService<SlaClock>();

builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemMapping>();
builder.Services.AddOpenApi("v1");

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapOpenApi("/openapi/{documentName}.json");
app.MapHealth();
app.MapRecordContact();
app.MapViewContact();
app.MapCompleteFollowUp();
app.MapViewReferral();
app.MapReferralActions();
app.MapViewQueue();
app.MapSuggestNeeds();
app.MapCatalogue();
app.MapFindResident();
app.MapViewFigures();

// Open the store (and migrate it) before the first request, so a bad configuration stops start-up loudly.
_ = app.Services.GetRequiredService<StoreConnection>();

await app.RunAsync();

/// <summary>The application's entry point, visible to integration tests.</summary>
public partial class Program;
