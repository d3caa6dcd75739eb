using FrontDoor.Server.Infrastructure.Health;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Infrastructure.Subscriptions;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddEventStore(builder.Configuration);
builder.Services.AddSubscriptionRuntime(builder.Configuration);
builder.Services.AddProblemDetails();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealth();

// Open the store (and migrate it) before the first request, so a bad configuration stops start-up loudly.
_ = app.Services.GetRequiredService<StoreConnection>();

await app.RunAsync();

/// <summary>The application's entry point, visible to integration tests.</summary>
public partial class Program;
