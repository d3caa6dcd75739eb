using System.Diagnostics;
using FrontDoor.Server.Infrastructure.Store;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FrontDoor.Server.Infrastructure.Telemetry;

/// <summary>
/// OpenTelemetry through its hosting package: the providers start with the host (so the first request is traced
/// too) and are flushed when it stops. Exporting is switched on by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> and <c>OTEL_SERVICE_NAME</c>); without it nothing leaves the process.
/// Span processors registered in the container (a test's collector, say) see every span.
/// </summary>
public static class TelemetryRegistration
{
    public const string ServiceSource = "FrontDoor";

    public static readonly ActivitySource Source = new(ServiceSource);

    public static IServiceCollection AddFrontDoorTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var exporting = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "frontdoor";

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                // Wolverine's spans carry a message from the span that scheduled it to the one that handles it, so a
                // deadline handled days later is still in the trace of the event that set it.
                tracing.AddSource("Microsoft.AspNetCore", ServiceSource, EventLogTelemetry.SourceName, "Wolverine");
                tracing.AddProcessor(provider => new ContainerProcessors([.. provider.GetServices<BaseProcessor<Activity>>()]));
            })
            .WithMetrics(metrics => metrics.AddMeter("Microsoft.AspNetCore.Hosting", ServiceSource, EventLogTelemetry.SourceName, "Wolverine:frontdoor"));
        if (exporting)
        {
            telemetry.UseOtlpExporter();
        }

        services.AddSingleton<FrontDoorMetrics>();
        services.AddHostedService<MetricsStartup>();
        return services;
    }

    /// <summary>
    /// The span processors registered in the container, as one (the SDK's composite refuses an empty list, and most
    /// hosts register none).
    /// </summary>
    private sealed class ContainerProcessors(BaseProcessor<Activity>[] processors) : BaseProcessor<Activity>
    {
        public override void OnStart(Activity data)
        {
            foreach (var processor in processors)
            {
                processor.OnStart(data);
            }
        }

        public override void OnEnd(Activity data)
        {
            foreach (var processor in processors)
            {
                processor.OnEnd(data);
            }
        }
    }

    /// <summary>Creates FrontDoor's instruments before the first request, so their figures exist from the start.</summary>
    private sealed class MetricsStartup(FrontDoorMetrics metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = metrics;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
