using System.Collections.Concurrent;
using System.Diagnostics;
using FrontDoor.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace FrontDoor.Server.Tests;

/// <summary>
/// A contact's journey as spans: the request that recorded it, its append, Wolverine handling the router's message
/// recorded with that append (in the same trace), the referral appends inside the router's span, and the push to the
/// team's dashboards (linked to the referral's append). Listeners are process-wide, so the test picks its own
/// journey out by trace and link.
/// </summary>
public sealed class TelemetryTests
{
    [Theory]
    [MemberData(nameof(FrontDoorApp.Backends), MemberType = typeof(FrontDoorApp))]
    public async Task A_contact_journey_is_one_chain_of_linked_spans(string backend)
    {
        var spans = new CollectingProcessor();
        await using var app = await FrontDoorApp.StartAsync(backend, services: s => s.AddSingleton<BaseProcessor<Activity>>(spans));
        var api = await Api.ForAsync(app);
        await using var housing = await HubConnections.ConnectAsync(app, await FrontDoorApp.TokenAsync(app.CreateClient(), "worker", "housing"));
        await housing.InvokeAsync("WatchQueue", "housing", null);

        var contactId = await api.RecordAsync(Api.Contact("phone", ["homelessness"], "Sleeping rough since Friday."));
        await housing.WaitForAsync("queueChanged", m => m.GetProperty("contactId").GetGuid() == contactId);
        await app.CaughtUpAsync();

        // Spans from other tests running alongside are seen too: start from this contact's own routing span.
        var all = spans.Finished;
        var routing = Assert.Single(all, a => a.DisplayName == "router.route"
            && (string?)a.GetTagItem("frontdoor.correlation_id") == contactId.ToString("D")
            && (string?)a.GetTagItem("frontdoor.event.type") == "contact-needs-assessed.v1");
        var handling = Assert.Single(all, a => a.SpanId == routing.ParentSpanId);
        Assert.Equal("Wolverine", handling.Source.Name);
        Assert.Contains(nameof(Routing.RouteCause), handling.DisplayName, StringComparison.Ordinal);

        // The message was recorded inside the contact's append, so Wolverine's handling continues the request's trace.
        var contactAppend = Assert.Single(Ancestors(all, handling), a => a.DisplayName == "eventlog.append");
        Assert.Equal("contact", contactAppend.GetTagItem("frontdoor.stream.category"));
        var request = Assert.Single(all, a => a.SpanId == contactAppend.ParentSpanId);
        Assert.Equal("Microsoft.AspNetCore", request.Source.Name);
        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Equal(request.TraceId, routing.TraceId);
        var referralAppend = Assert.Single(all, a => a.DisplayName == "eventlog.append" && a.ParentSpanId == routing.SpanId && (string?)a.GetTagItem("frontdoor.stream.category") == "referral");

        var push = Assert.Single(all, a => a.DisplayName == "signalr.push queueChanged" && a.Links.Any(l => l.Context.SpanId == referralAppend.SpanId));
        Assert.Equal("housing", push.GetTagItem("frontdoor.service"));
        await app.SettledAsync();
    }

    [Fact]
    public async Task A_deadline_is_handled_in_the_trace_of_the_event_that_set_it()
    {
        var spans = new CollectingProcessor();
        await using var app = await FrontDoorApp.StartAsync(
            "postgres",
            new Dictionary<string, string?> { ["FrontDoor:ImmediateTarget"] = "00:00:01" },
            services: s => s.AddSingleton<BaseProcessor<Activity>>(spans));
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["adult-safeguarding"], "Carer reports unexplained bruises."));
        await app.CaughtUpAsync();
        var referralId = Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;
        await Eventually.True(async () => (await api.ReferralAsync(referralId)).Overdue, "the referral's deadline marks it overdue");
        await app.CaughtUpAsync();

        // The deadline was scheduled in the append that raised the referral, inside the router's handling, and handled
        // by Wolverine in that trace: its overdue event's append is a child of Wolverine's span for the message.
        var all = spans.Finished;
        var routing = Assert.Single(all, a => a.DisplayName == "router.route"
            && (string?)a.GetTagItem("frontdoor.correlation_id") == contactId.ToString("D")
            && (string?)a.GetTagItem("frontdoor.event.type") == "contact-needs-assessed.v1");
        var overdueAppend = Assert.Single(all, a => a.DisplayName == "eventlog.append" && a.TraceId == routing.TraceId
            && (string?)a.GetTagItem("frontdoor.stream.category") == "referral" && a.ParentSpanId != routing.SpanId);

        // Wolverine's span ends once the message is marked handled, a moment after the append inside it.
        await Eventually.True(() => Task.FromResult(spans.Finished.Any(a => a.SpanId == overdueAppend.ParentSpanId)), "Wolverine's span for the deadline ending");
        var handling = Assert.Single(spans.Finished, a => a.SpanId == overdueAppend.ParentSpanId);
        Assert.Equal("Wolverine", handling.Source.Name);
        Assert.Contains(nameof(Sla.ReferralDeadline), handling.DisplayName, StringComparison.Ordinal);
        await app.SettledAsync();
    }

    /// <summary>A span's parents, nearest first, as far as the finished spans reach.</summary>
    private static List<Activity> Ancestors(IReadOnlyCollection<Activity> all, Activity span)
    {
        var chain = new List<Activity>();
        for (var parent = all.FirstOrDefault(a => a.SpanId == span.ParentSpanId); parent is not null; parent = all.FirstOrDefault(a => a.SpanId == parent.ParentSpanId))
        {
            chain.Add(parent);
        }

        return chain;
    }

    private sealed class CollectingProcessor : BaseProcessor<Activity>
    {
        private readonly ConcurrentQueue<Activity> _finished = new();

        public IReadOnlyList<Activity> Finished => _finished.ToArray();

        public override void OnEnd(Activity data) => _finished.Enqueue(data);
    }
}
