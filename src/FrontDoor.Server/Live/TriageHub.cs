using System.Data.Common;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Server.Figures.ViewingFigures;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Queues;
using FrontDoor.Server.Queues.ViewingQueue;
using FrontDoor.Server.ReadModels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace FrontDoor.Server.Live;

/// <summary>
/// <c>/hubs/triage</c>: team queues and the managers' wall, live. Joining returns a snapshot stamped with the log
/// position it reflects; after that the client applies pushes whose position is newer, so reconnecting never leaves
/// a silent gap. Who may watch what is the same as over HTTP: a worker their own service's queue, an agent the front
/// door's, a manager every queue and the wall.
/// </summary>
[Authorize(Policy = Policies.Caseworker)]
public sealed class TriageHub : Hub
{
    public const string Path = "/hubs/triage";
    public const string WallGroup = "wall";

    private readonly StoreConnection _store;
    private readonly TimeProvider _time;
    private readonly LiveWatchers _watchers;
    private readonly LivePushes _pushes;
    private readonly IStaffDirectory _staff;

    public TriageHub(StoreConnection store, TimeProvider time, LiveWatchers watchers, LivePushes pushes, IStaffDirectory staff)
    {
        _staff = staff;
        _store = store;
        _time = time;
        _watchers = watchers;
        _pushes = pushes;
    }

    public static string QueueGroup(string service) => "queue:" + service;

    public async Task<QueueSnapshot> WatchQueue(string service, long? lastPosition)
    {
        // Never echo the argument: hub errors reach the logs, and a value carrying a line break would forge lines there.
        if (!Vocabulary.IsKnownService(service))
        {
            throw new HubException("That is not a service.");
        }

        if (!Context.User!.MaySeeQueue(service))
        {
            throw new HubException($"You do not work the {service} queue.");
        }

        // Join first, then read: a change that lands in between arrives as a push and is applied or, being
        // already in the snapshot, recognised by its position.
        _watchers.Join(Context.ConnectionId, QueueGroup(service));
        var connection = await _store.OpenConnectionAsync(Context.ConnectionAborted).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var position = _pushes.Position;
            var queue = await ViewQueueEndpoint.ReadAsync(connection, service, Context.ConnectionAborted).ConfigureAwait(false);
            var names = await _staff.NamesAsync(QueueRows.Holders(queue.Items), Context.ConnectionAborted).ConfigureAwait(false);
            return new QueueSnapshot(service, queue.Items, position, lastPosition is { } last && last > position, names);
        }
    }

    [Authorize(Policy = Policies.Manager)]
    public async Task<WallSnapshot> WatchWall(long? lastPosition)
    {
        _watchers.Join(Context.ConnectionId, WallGroup);
        var projected = _pushes.Position;
        var figures = await ViewFiguresEndpoint.ReadAsync(_store, _time.GetUtcNow(), Context.ConnectionAborted).ConfigureAwait(false);
        return new WallSnapshot(figures, projected);
    }

    public void StopWatchingQueue(string service)
    {
        if (Vocabulary.IsKnownService(service))
        {
            _watchers.Leave(Context.ConnectionId, QueueGroup(service));
        }
    }

}

/// <summary>
/// A queue as it stood at <c>position</c>; <c>reset</c> says the client's last position was ahead of it (a different
/// store); <c>names</c> are the holders' display names.
/// </summary>
public sealed record QueueSnapshot(string Service, IReadOnlyList<QueueItem> Items, long Position, bool Reset, IReadOnlyDictionary<string, string>? Names = null);

public sealed record WallSnapshot(FiguresResponse Figures, long Position);

/// <summary>
/// Pushed to a queue's watchers when one of its referrals changes: <c>actor</c> made the change, and <c>heldBy</c>
/// holds the referral after it (actor ids).
/// </summary>
public sealed record QueueChanged(string Service, Guid ReferralId, Guid ContactId, string Change, string Priority, string Status, DateTimeOffset DueAt, bool Overdue, bool Safeguarding, long Position, string? Actor = null, string? HeldBy = null);

/// <summary>
/// Pushed to the front door's queue when a check-back with a resident is set, falls due, is done, or its contact
/// closes (<c>change</c> is the event's name without its version, such as <c>follow-up-completed</c>).
/// </summary>
public sealed record FollowUpChanged(Guid ContactId, string Change, long Position, string? Actor);

/// <summary>Pushed to the wall when the figures may have changed.</summary>
public sealed record WallChanged(FiguresResponse Figures, long Position);
