using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Domain;

namespace FrontDoor.Reliability.Tests;

/// <summary>A contact the server acknowledged with 201, and what was asked of it.</summary>
public sealed record AcknowledgedContact(Guid ContactId, string IdempotencyKey, IReadOnlyList<string> Needs);

/// <summary>
/// Contact-centre agents recording contacts as fast as the server answers, against one or more nodes. Each contact
/// has its own idempotency key; whatever goes wrong on the way (connection refused or cut, a timeout, a 5xx, a 429)
/// the agent sends the same request with the same key again until it is acknowledged — the at-least-once client the
/// server must turn into exactly-once. What was acknowledged is what the end checks hold the server to.
/// </summary>
public sealed class ContactLoad
{
    /// <summary>Needs that route to one service, to several, to a signpost only, or to nowhere (the front door's own queue).</summary>
    private static readonly string[][] NeedSets =
    [
        [NeedCodes.HousingAdvice],
        [NeedCodes.Homelessness, NeedCodes.MoneyAndDebt],
        [NeedCodes.CareAndSupport, NeedCodes.FoodAndFuel, NeedCodes.FamilySupport],
        [NeedCodes.IsolationAndWellbeing],
        [NeedCodes.ChildSafeguarding, NeedCodes.HousingAdvice],
        [NeedCodes.CarerSupport, NeedCodes.IsolationAndWellbeing],
        [],
    ];

    private readonly IReadOnlyList<Uri> _nodes;
    private readonly IReadOnlyList<string> _tokens;
    private readonly ConcurrentQueue<AcknowledgedContact> _acknowledged = new();
    private long _retries;
    private long _abandoned;

    public ContactLoad(IReadOnlyList<Uri> nodes, IReadOnlyList<string> agentTokens)
    {
        _nodes = nodes;
        _tokens = agentTokens;
    }

    public IReadOnlyList<AcknowledgedContact> Acknowledged => [.. _acknowledged];

    /// <summary>Requests sent again after a failure.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Contacts still unacknowledged when their agent gave up (bounded at two minutes each).</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    /// <summary>
    /// Runs every agent until <paramref name="stop"/> is cancelled (or <paramref name="contactsPerAgent"/> are done);
    /// a contact in flight when it is cancelled is still seen through to its acknowledgement.
    /// </summary>
    public Task RunAsync(CancellationToken stop, int contactsPerAgent = int.MaxValue) =>
        Task.WhenAll(_tokens.Select((token, agent) => Task.Run(() => AgentAsync(agent, token, contactsPerAgent, stop))));

    private async Task AgentAsync(int agent, string token, int contacts, CancellationToken stop)
    {
        var random = new Random(agent);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        for (var n = 0; n < contacts && !stop.IsCancellationRequested; n++)
        {
            var needs = NeedSets[random.Next(NeedSets.Length)];

            // A few hundred residents, so some contact the council more than once and their records are shared.
            var resident = random.Next(300);
            var request = new RecordContactRequest(
                random.Next(2) == 0 ? "phone" : "web",
                null,
                new ResidentDetails($"Resident {resident}", $"19{50 + (resident % 50)}-0{1 + (resident % 9)}-1{resident % 10}", $"LS{resident % 20} 1AA", null, null),
                $"Contact {n} from agent {agent}.",
                needs,
                true);
            var key = $"reliability-{agent}-{n}-{Guid.NewGuid():N}";
            var acknowledged = await SendUntilAcknowledgedAsync(http, request, key, random);
            if (acknowledged is { } contactId)
            {
                _acknowledged.Enqueue(new AcknowledgedContact(contactId, key, needs));
            }
            else
            {
                Interlocked.Increment(ref _abandoned);
            }

            await Task.Delay(Scale.AgentPause, CancellationToken.None);
        }
    }

    private async Task<Guid?> SendUntilAcknowledgedAsync(HttpClient http, RecordContactRequest request, string key, Random random)
    {
        var giveUpAt = DateTime.UtcNow.AddMinutes(2);
        for (var attempt = 0; DateTime.UtcNow < giveUpAt; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(100 + random.Next(200));
            }

            var node = _nodes[random.Next(_nodes.Count)];
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(node, "/api/contacts")) { Content = JsonContent.Create(request) };
                message.Headers.Add("Idempotency-Key", key);
                using var response = await http.SendAsync(message);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    return (await response.Content.ReadFromJsonAsync<ContactCreatedResponse>())!.ContactId;
                }

                if ((int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    throw new InvalidOperationException($"The server refused a valid contact: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                // The node is down or was killed mid-request: the same key again, on whichever node answers.
            }
        }

        return null;
    }
}
