using System.Diagnostics;
using FrontDoor.EventStore.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FrontDoor.Server.Infrastructure.Telemetry;

/// <summary>
/// OpenTelemetry from the SDK itself (there is no hosting package here): providers built once, registered with
/// factories so the container disposes — and so flushes — them, and resolved at start-up. Exporting is switched on by
/// the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> and
/// <c>OTEL_SERVICE_NAME</c>); without it nothing leaves the process.
/// </summary>
public static class TelemetryRegistration
{
    public const string ServiceSource = "FrontDoor";

    public static readonly ActivitySource Source = new(ServiceSource);

    public static IServiceCollection AddFrontDoorTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var exporting = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "frontdoor";

        services.AddSingleton(provider =>
        {
            var builder = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName))
                .AddSource("Microsoft.AspNetCore", ServiceSource, EventStoreTelemetry.SourceName);
            foreach (var processor in provider.GetServices<BaseProcessor<Activity>>())
            {
                builder.AddProcessor(processor);
            }

            if (exporting)
            {
                builder.AddOtlpExporter();
            }

            return builder.Build();
        });

        services.AddSingleton(provider =>
        {
            var builder = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName))
                .AddMeter("Microsoft.AspNetCore.Hosting", ServiceSource, EventStoreTelemetry.SourceName);
            foreach (var reader in provider.GetServices<MetricReader>())
            {
                builder.AddReader(reader);
            }

            if (exporting)
            {
                builder.AddOtlpExporter();
            }

            return builder.Build();
        });

        services.AddSingleton<FrontDoorMetrics>();
        services.AddHostedService<TelemetryStartup>();
        return services;
    }

    /// <summary>Resolves the providers before the first request, so the first request is traced too.</summary>
    private sealed class TelemetryStartup(TracerProvider tracer, MeterProvider meter, FrontDoorMetrics metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = (tracer, meter, metrics);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
