using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FrontDoor.Server.Infrastructure.Store;

/// <summary>
/// Spans and metrics of the log itself, on .NET's own diagnostics types so the store depends on no telemetry
/// package: whoever listens (OpenTelemetry in the server) decides what is exported.
/// </summary>
public static class EventLogTelemetry
{
    public const string SourceName = "FrontDoor.EventLog";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(SourceName);

    private static readonly Histogram<double> AppendDuration = Meter.CreateHistogram<double>(
        "frontdoor.eventlog.append.duration", unit: "ms", description: "Time to append one batch of events to a stream, commit included.");

    private static readonly Counter<long> EventsAppended = Meter.CreateCounter<long>(
        "frontdoor.eventlog.events.appended", unit: "{event}", description: "Events appended to the log.");

    /// <summary>
    /// Starts the span of an append and stamps it into every event's metadata, so whatever reacts to these events later
    /// can link its own span to this one.
    /// </summary>
    public static (Activity? Activity, IReadOnlyList<EventData> Events) StartAppend(string backend, string streamId, IReadOnlyList<EventData> events)
    {
        var activity = Source.StartActivity("eventlog.append", ActivityKind.Internal);
        if (activity is null)
        {
            return (null, events);
        }

        activity.SetTag("db.system", backend);
        activity.SetTag("frontdoor.stream.category", StreamName.CategoryOf(streamId));
        activity.SetTag("frontdoor.events.count", events.Count);
        return (activity, events.Select(e => e with { Metadata = e.Metadata with { TraceParent = activity.Id } }).ToArray());
    }

    public static void AppendCompleted(Activity? activity, string backend, long startedTimestamp, AppendResult result, int count)
    {
        AppendDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds, new KeyValuePair<string, object?>("db.system", backend));
        EventsAppended.Add(count, new KeyValuePair<string, object?>("db.system", backend));
        activity?.SetTag("frontdoor.position", result.Position);
    }
}
