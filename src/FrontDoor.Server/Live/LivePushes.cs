using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Server.Figures.ViewingFigures;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Infrastructure.Telemetry;

namespace FrontDoor.Server.Live;

/// <summary>
/// Follows the log on every node (not one node per subscription: each node pushes to its own connections, so no
/// backplane is needed) and sends each referral change once, to its service's group only, and refreshed figures to
/// the wall at most a few times a second.
/// </summary>
public sealed partial class LivePushes : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WallRecheck = TimeSpan.FromMilliseconds(50);
    private const int PageSize = 500;

    private readonly StoreConnection _store;
    private readonly LiveWatchers _watchers;
    private readonly TimeProvider _time;
    private readonly ILogger<LivePushes> _logger;

    public LivePushes(StoreConnection store, LiveWatchers watchers, TimeProvider time, ILogger<LivePushes> logger)
    {
        _store = store;
        _watchers = watchers;
        _time = time;
        _logger = logger;
    }

    public const string Name = "live-pushes";

    private static readonly HashSet<string> CheckBackChanges = new(StringComparer.Ordinal)
    {
        FollowUpScheduled.EventType, FollowUpDue.EventType, FollowUpCompleted.EventType, ContactClosed.EventType,
    };

    private long _position = -1;
    private long _handled;
    private string _state = "starting";
    private string? _lastError;

    /// <summary>This node's follower as the readiness report shows it: state, events pushed since start, last failure.</summary>
    public (string State, long Handled, string? LastError) Status => (Volatile.Read(ref _state), Interlocked.Read(ref _handled), Volatile.Read(ref _lastError));

    /// <summary>
    /// How far this node has pushed: every event up to here has committed or rolled back, and with it the read-model
    /// rows it wrote inline. A snapshot read after taking this holds everything up to it, and every later change
    /// arrives as a push with a higher position. 0 until the node has started following.
    /// </summary>
    public long Position => Math.Max(0, Volatile.Read(ref _position));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wall = new WallSchedule();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Start at the head: a watcher joining gets a snapshot, so history before this node started is not pushed.
                if (_position < 0)
                {
                    Volatile.Write(ref _position, await _store.Events.ReadHeadPositionAsync(stoppingToken).ConfigureAwait(false));
                }

                var waiter = _store.Events.Appended.Waiter;
                var page = await _store.Events.ReadAllAsync(_position, PageSize, stoppingToken).ConfigureAwait(false);
                var referrals = await ReferralsOfAsync(page, stoppingToken).ConfigureAwait(false);
                foreach (var recorded in page)
                {
                    if (Push(recorded, referrals))
                    {
                        wall.Target = recorded.Position;
                    }

                    Volatile.Write(ref _position, recorded.Position);
                }

                Interlocked.Add(ref _handled, page.Count);
                Volatile.Write(ref _state, page.Count == PageSize ? "catching-up" : "live");
                Volatile.Write(ref _lastError, null);

                // A push only for the day's counts waits until the daemon has counted more than the last push had.
                var step = wall.Next(_time.GetUtcNow());
                if (step == WallStep.Push || (step == WallStep.LookForCounts && await ViewFiguresEndpoint.ReadDayCountedUpToAsync(_store, stoppingToken).ConfigureAwait(false) > wall.Counted))
                {
                    wall.RecordPush(await PushWallAsync(wall.Target, stoppingToken).ConfigureAwait(false), _time.GetUtcNow());
                }
                else if (step == WallStep.LookForCounts)
                {
                    wall.RecordLook(_time.GetUtcNow());
                }

                // A page short of full read everything there was when the waiter was taken, so only an append since
                // (which completes the waiter) can bring more: reading again at once would only find nothing. A page
                // that stopped at a hole is read again when the hole's append commits, or at the next poll.
                if (page.Count < PageSize)
                {
                    await AppendSignal.WaitAsync(waiter, wall.Due ? WallRecheck : PollInterval, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                Volatile.Write(ref _state, "stopped");
                return;
            }
            catch (Exception ex)
            {
                Volatile.Write(ref _state, "retrying");
                Volatile.Write(ref _lastError, ex.Message);
                LogPushFailed(_logger, ex);
                await Task.Delay(PollInterval, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The referral streams a page touches, read together: one round trip for the page instead of one per event,
    /// folded forward as the page's events are pushed.
    /// </summary>
    private async Task<Dictionary<string, FoldedReferral>> ReferralsOfAsync(IReadOnlyList<RecordedEvent> page, CancellationToken cancellationToken)
    {
        var touched = page.Where(r => StreamName.CategoryOf(r.StreamId) == "referral").Select(r => r.StreamId).ToHashSet(StringComparer.Ordinal);
        var folded = new Dictionary<string, FoldedReferral>(StringComparer.Ordinal);
        if (touched.Count == 0)
        {
            return folded;
        }

        foreach (var (streamId, events) in await _store.ReadStreamsAsync(touched, cancellationToken).ConfigureAwait(false))
        {
            folded[streamId] = new FoldedReferral(events);
        }

        return folded;
    }

    private bool Push(RecordedEvent recorded, Dictionary<string, FoldedReferral> referrals)
    {
        var category = StreamName.CategoryOf(recorded.StreamId);
        if (category == "contact")
        {
            // A check-back is the front door's work: its queue hears when one is set, falls due or is done.
            if (CheckBackChanges.Contains(recorded.Type))
            {
                _watchers.Publish(
                    TriageHub.QueueGroup(ServiceCodes.FrontDoorTriage),
                    "followUpChanged",
                    new FollowUpChanged(StreamIds.ContactIdOf(recorded.StreamId), recorded.Type[..recorded.Type.LastIndexOf('.')], recorded.Position, recorded.Metadata.Actor));
            }

            return true;
        }

        if (category != "referral" || !referrals.TryGetValue(recorded.StreamId, out var referral))
        {
            return false;
        }

        // The referral as it stood just after this event, which is what the push reports.
        var (state, evt) = referral.FoldTo(recorded.StreamVersion);
        if (!state.Exists || evt is null)
        {
            return false;
        }

        // The push is the journey's last hop: its span links back to the append that caused it.
        using var activity = TelemetryRegistration.Source.StartActivity(
            "signalr.push queueChanged",
            System.Diagnostics.ActivityKind.Producer,
            default(System.Diagnostics.ActivityContext),
            links: System.Diagnostics.ActivityContext.TryParse(recorded.Metadata.TraceParent, null, out var appended) ? [new System.Diagnostics.ActivityLink(appended)] : null);
        activity?.SetTag("frontdoor.service", state.Service);
        activity?.SetTag("frontdoor.position", recorded.Position);
        var change = recorded.Type[..recorded.Type.LastIndexOf('.')].Replace("referral-", string.Empty, StringComparison.Ordinal);
        var message = new QueueChanged(state.Service!, state.ReferralId, state.ContactId, change, state.Priority!, state.Status, state.DueAt!.Value, state.IsOverdue, state.Needs.Any(Vocabulary.IsSafeguarding), recorded.Position, recorded.Metadata.Actor, state.ClaimedBy);
        _watchers.Publish(TriageHub.QueueGroup(state.Service!), "queueChanged", message);

        // Reassigned work leaves one queue for another: the queue it left must hear of it too.
        if (evt is ReferralReassigned moved && moved.FromService != state.Service)
        {
            _watchers.Publish(TriageHub.QueueGroup(moved.FromService), "queueChanged", message with { Service = moved.FromService, Status = "reassigned" });
        }

        return true;
    }

    /// <summary>Pushes the figures to the walls; returns the position the day's counts in them were counted up to.</summary>
    private async Task<long> PushWallAsync(long projected, CancellationToken cancellationToken)
    {
        var (figures, dayCountedUpTo) = await ViewFiguresEndpoint.ReadCountedAsync(_store, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        _watchers.Publish(TriageHub.WallGroup, "wallChanged", new WallChanged(figures, projected));
        return dayCountedUpTo;
    }

    /// <summary>A referral's events, folded as far as the pushes have gone.</summary>
    private sealed class FoldedReferral(IReadOnlyList<RecordedEvent> events)
    {
        private int _next;
        private ReferralState _state = ReferralState.Initial;

        /// <summary>The state just after <paramref name="version"/>, and that version's event.</summary>
        public (ReferralState State, object? Event) FoldTo(long version)
        {
            object? last = null;
            while (_next < events.Count && events[_next].StreamVersion <= version)
            {
                last = DomainEventSerializer.Deserialize(events[_next]);
                if (last is not null)
                {
                    _state = ReferralDecider.Evolve(_state, last);
                }

                _next++;
            }

            return (_state, last);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Live pushes failed; retrying")]
    private static partial void LogPushFailed(ILogger logger, Exception ex);
}
