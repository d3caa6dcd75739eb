using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Referrals;
using FrontDoor.Domain.Routing;
using FrontDoor.Domain.Sla;
using FrontDoor.Server.Figures.ViewingFigures;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Messaging;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Operations;
using FrontDoor.Testing;

namespace FrontDoor.Reliability.Tests;

/// <summary>What the end checks found; every count but <see cref="Acknowledged"/> and <see cref="Events"/> must be zero.</summary>
public sealed record AuditResult(
    int Acknowledged,
    int Lost,
    int RecordedTwice,
    int ReferralsDuplicated,
    int ReferralsMissing,
    int NotFound,
    int NotOwned,
    int WithoutOwnerOnWall,
    long MessagesWaiting,
    long DeadLetters,
    long Events,
    int CountedOnWallOff)
{
    public bool Clean => Lost == 0 && RecordedTwice == 0 && ReferralsDuplicated == 0 && ReferralsMissing == 0
        && NotFound == 0 && NotOwned == 0 && WithoutOwnerOnWall == 0 && MessagesWaiting == 0 && DeadLetters == 0
        && CountedOnWallOff == 0;
}

/// <summary>What the end checks read while the nodes still ran; <see cref="Day"/> is the council's day the wall counted.</summary>
public sealed record ReadModelCheck(int NotFound, int NotOwned, int WithoutOwnerOnWall, int ContactsOnWall, string Day);

/// <summary>
/// The end checks of a fault scenario. While the nodes still run: every reaction to the log has been handled (none
/// waiting, the head standing still), every acknowledged contact can be read and is owned, and the wall counts no
/// contact without an owner. Then, with the nodes stopped (so nothing moves under the count), from the log itself:
/// every acknowledged contact was received once; it has exactly one referral for each service its needs call for,
/// raised for it or joined ("tell us once": the resident's open referral at the service), none doubled by a
/// redelivered routing decision, none missing; no reaction is left waiting or dead-lettered; and
/// the wall's count of today's contacts, kept by Marten's daemon through every fault, is the log's, not one more or less.
/// </summary>
public static class LogAudit
{
    /// <summary>
    /// Waits (bounded) until every running node is ready and no reaction waits to be handled — including those a
    /// killed node held, which a survivor or a restarted node recovers — with the log's head standing still for 3 s.
    /// </summary>
    public static Task WaitUntilCaughtUpAsync(IReadOnlyList<ServerProcess> nodes)
    {
        var settledSince = DateTime.MaxValue;
        long settledHead = -1;
        return Eventually.True(
            async () =>
            {
                long head = -1;
                foreach (var node in nodes.Where(n => n.IsRunning))
                {
                    if (await node.ReadinessAsync() is not { Status: 200 } ready
                        || ready.Body.GetProperty("messages") is not { ValueKind: System.Text.Json.JsonValueKind.Object } messages
                        || messages.GetProperty("waiting").GetInt64() != 0)
                    {
                        settledSince = DateTime.MaxValue;
                        return false;
                    }

                    head = Math.Max(head, ready.Body.GetProperty("subscriptions")[0].GetProperty("head").GetInt64());
                }

                if (head < 0 || head != settledHead)
                {
                    settledHead = head;
                    settledSince = DateTime.MaxValue;
                    return false;
                }

                settledSince = settledSince == DateTime.MaxValue ? DateTime.UtcNow : settledSince;
                return DateTime.UtcNow - settledSince > TimeSpan.FromSeconds(3);
            },
            "every reaction handled, with the log's head standing still",
            Scale.CatchUpSeconds);
    }

    public static async Task<ReadModelCheck> CheckReadModelsAsync(HttpClient manager, IReadOnlyList<AcknowledgedContact> acknowledged, IReadOnlyList<ServerProcess> nodes)
    {
        int notFound = 0, notOwned = 0;
        foreach (var contact in acknowledged)
        {
            using var response = await manager.GetAsync($"/api/contacts/{contact.ContactId:D}");
            if (!response.IsSuccessStatusCode)
            {
                notFound++;
            }
            else if (!(await response.Content.ReadFromJsonAsync<ContactResponse>())!.HasOwner)
            {
                notOwned++;
            }
        }

        // The day's counts are the daemon's, a page behind: read once it has projected up to the head.
        await Eventually.True(() => DaemonCaughtUpAsync(nodes), "Marten's daemon projected up to the head", Scale.CatchUpSeconds);
        // A scenario can run over midnight: the wall counts the day it is read on, so the read is taken again if
        // the day turned while it was made.
        while (true)
        {
            var day = DayActivityProjection.DayOf(DateTimeOffset.UtcNow);
            var figures = (await manager.GetFromJsonAsync<FiguresResponse>("/api/figures"))!;
            if (DayActivityProjection.DayOf(DateTimeOffset.UtcNow) == day)
            {
                return new ReadModelCheck(notFound, notOwned, figures.ContactsWithoutOwner, figures.ContactsToday, day);
            }
        }
    }

    private static async Task<bool> DaemonCaughtUpAsync(IReadOnlyList<ServerProcess> nodes)
    {
        foreach (var node in nodes.Where(n => n.IsRunning))
        {
            if (await DayActivityAsync(node) is { } daemon)
            {
                return daemon.GetProperty("lag").GetInt64() == 0;
            }
        }

        return false;
    }

    /// <summary>Marten's daemon's day-activity projection as a node's readiness details report it, if the node answers.</summary>
    public static async Task<System.Text.Json.JsonElement?> DayActivityAsync(ServerProcess node) =>
        await node.ReadinessAsync() is { Status: 200 } ready
            && ready.Body.GetProperty("subscriptions").EnumerateArray().FirstOrDefault(s => s.GetProperty("name").GetString() == "day-activity") is { ValueKind: System.Text.Json.JsonValueKind.Object } daemon
            ? daemon
            : null;

    public static async Task<AuditResult> CheckLogAsync(StoreConnection store, IReadOnlyList<AcknowledgedContact> acknowledged, ReadModelCheck readModels)
    {
        var received = new Dictionary<Guid, int>();
        var raised = new Dictionary<Guid, List<string>>();
        var serviceOf = new Dictionary<Guid, string>();
        void Add(Guid contactId, string service)
        {
            if (!raised.TryGetValue(contactId, out var services))
            {
                raised[contactId] = services = [];
            }

            services.Add(service);
        }

        long events = 0;
        var receivedOnWallDay = 0;
        var head = await store.Events.ReadHeadPositionAsync();
        await foreach (var recorded in store.Events.ReadAllUpToAsync(head))
        {
            events++;
            switch (DomainEventSerializer.Deserialize(recorded))
            {
                case ContactReceived contact:
                    received[contact.ContactId] = received.GetValueOrDefault(contact.ContactId) + 1;
                    receivedOnWallDay += DayActivityProjection.DayOf(contact.At) == readModels.Day ? 1 : 0;
                    break;
                case ReferralRaised referral:
                    serviceOf[referral.ReferralId] = referral.Service;
                    Add(referral.ContactId, referral.Service);
                    break;

                // A resident's later contact that joined their open referral at the service is served by it.
                case ReferralContactAttached attached:
                    Add(attached.AttachedContactId, serviceOf[attached.ReferralId]);
                    break;
            }
        }

        int lost = 0, twice = 0, duplicated = 0, missing = 0;
        foreach (var contact in acknowledged)
        {
            var times = received.GetValueOrDefault(contact.ContactId);
            lost += times == 0 ? 1 : 0;
            twice += times > 1 ? 1 : 0;
            var expected = RoutingPolicy.Route(RoutingTable.Default, contact.Needs, SlaPolicy.Default, DateTimeOffset.UtcNow).Referrals.Select(r => r.Service).ToList();
            var actual = raised.GetValueOrDefault(contact.ContactId) ?? [];
            duplicated += actual.Count - actual.Distinct(StringComparer.Ordinal).Count();
            missing += expected.Count(service => !actual.Contains(service, StringComparer.Ordinal));
        }

        MessageCounts messages;
        await using (var connection = await store.OpenConnectionAsync(CancellationToken.None))
        {
            messages = await DeadLetters.CountAsync(connection, CancellationToken.None);
        }

        // Every contact the log received on the day the wall was read counts on it, once.
        var countedOnWallOff = Math.Abs(readModels.ContactsOnWall - receivedOnWallDay);
        return new AuditResult(acknowledged.Count, lost, twice, duplicated, missing, readModels.NotFound, readModels.NotOwned, readModels.WithoutOwnerOnWall, messages.Waiting, messages.DeadLetters, events, countedOnWallOff);
    }
}
