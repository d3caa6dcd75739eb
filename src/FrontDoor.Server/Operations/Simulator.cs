using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FrontDoor.Contracts;

namespace FrontDoor.Server.Operations;

/// <summary>What a simulation did, for the operator and for tests.</summary>
public sealed record SimulationReport(int ContactsSent, int ContactsAcknowledged, IReadOnlyList<Guid> ContactIds, int ReferralsCompleted, int ReferralsReturned, int Conflicts, int Failures, int Throttled);

/// <summary>
/// Drives a running FrontDoor through its public API the way a working day does: contacts through every channel and
/// site with a realistic mix of needs (some safeguarding, some residents coming back), and service teams claiming,
/// completing and now and then returning work. Every loop is bounded by count and time, and all traffic goes to the
/// one address it is given.
/// </summary>
public sealed class Simulator
{
    /// <summary>
    /// How much one simulated person does a second at most: well under the per-user rate limit, so higher rates are
    /// driven by more people (desks), as they are in a contact centre.
    /// </summary>
    private const double ContactsPerAgentPerSecond = 4;

    private const int MostWorkersPerTeam = 20;

    private const int ResidentPool = 20_000;

    private const int MostContactsInFlight = 500;

    private static readonly (int Weight, string Summary, string[] Needs)[] Scenarios =
    [
        (12, "Eviction notice received, behind with the rent.", ["homelessness", "money-and-debt"]),
        (8, "Sleeping in the car since the weekend.", ["homelessness"]),
        (10, "Can't afford to top up the gas meter, kids are cold.", ["food-and-fuel"]),
        (9, "Debts piling up, bailiffs have written.", ["money-and-debt"]),
        (7, "Mum has dementia and is struggling to manage at home.", ["care-and-support"]),
        (5, "Caring for my husband full time and exhausted.", ["carer-support"]),
        (6, "Son refusing to go to school, family at breaking point.", ["family-support"]),
        (6, "Lonely since moving here, doesn't see anyone.", ["isolation-and-wellbeing"]),
        (5, "Question about repairs and the tenancy agreement.", ["housing-advice"]),
        (2, "Neighbour saw bruises on an elderly man living alone.", ["adult-safeguarding"]),
        (2, "Children seem hungry and unsupervised at all hours.", ["child-safeguarding", "family-support"]),
        (4, "Not sure who to ask; things are hard at the moment.", []),
        (4, "Fleeing a violent partner, needs somewhere safe and money for food.", ["homelessness", "food-and-fuel", "adult-safeguarding"]),
    ];

    private static readonly string[] FirstNames = ["Mary", "John", "Aisha", "Tom", "Priya", "Gareth", "Chloe", "Sam", "Olu", "Megan", "Dylan", "Rosa"];
    private static readonly string[] LastNames = ["Jones", "Roberts", "Khan", "Evans", "Hughes", "Patel", "Davies", "Smith", "Okafor", "Williams"];
    private static readonly string[] Postcodes = ["CH65 2AB", "CH1 4QX", "CH2 3HJ", "CW7 1AE", "CW9 5PT", "CH4 8LN", "WA6 7AA"];
    private static readonly string[] Services = ["adult-social-care", "housing", "poverty-support", "early-help", "front-door-triage"];

    private readonly Func<HttpClient> _newClient;
    private readonly Random _random;
    private readonly TextWriter _log;

    public Simulator(Func<HttpClient> newClient, int seed, TextWriter log)
    {
        _newClient = newClient;
        _random = new Random(seed);
        _log = log;
    }

    public async Task<SimulationReport> RunAsync(double contactsPerSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(contactsPerSecond, 0);
        var agents = new List<HttpClient>();
        for (var desk = 1; desk <= Math.Clamp((int)Math.Ceiling(contactsPerSecond / ContactsPerAgentPerSecond), 1, 250); desk++)
        {
            agents.Add(await SignInAsync("agent", null, desk, cancellationToken).ConfigureAwait(false));
        }

        var teamSize = Math.Clamp((int)Math.Ceiling(contactsPerSecond / ContactsPerAgentPerSecond), 1, MostWorkersPerTeam);
        var workers = new List<(string Service, HttpClient Client)>();
        foreach (var service in Services)
        {
            for (var desk = 1; desk <= teamSize; desk++)
            {
                workers.Add((service, await SignInAsync("worker", service, desk, cancellationToken).ConfigureAwait(false)));
            }
        }

        var sites = (await agents[0].GetFromJsonAsync<SitesResponse>("/api/sites", cancellationToken).ConfigureAwait(false))!.Sites;
        var state = new Tally();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration + TimeSpan.FromSeconds(5));
        var total = (int)Math.Ceiling(contactsPerSecond * duration.TotalSeconds);
        var pace = TimeSpan.FromSeconds(Math.Clamp(2.5 * teamSize / contactsPerSecond, 0.25, 5));
        var teams = workers.Select(w => Task.Run(() => WorkQueueAsync(w.Client, w.Service, duration, pace, state, stop.Token), stop.Token)).ToList();

        var started = DateTimeOffset.UtcNow;
        var sends = new List<Task>();
        using var inFlight = new SemaphoreSlim(MostContactsInFlight);
        // A day that falls behind its rate sends fewer contacts; it never runs over its time.
        for (var i = 0; i < total && DateTimeOffset.UtcNow - started < duration; i++)
        {
            var due = started + TimeSpan.FromSeconds(i / contactsPerSecond);
            var wait = due - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            // At most so many contacts in flight: a server that cannot keep up makes the day fall behind its rate
            // instead of piling up requests in the simulator.
            await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            var send = SendContactAsync(agents[i % agents.Count], NextContact(sites), state, stop.Token);
            sends.Add(send.ContinueWith(_ => inFlight.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(teams).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A team whose time ran out before it began has nothing to report.
        }

        var report = state.Report();
        await _log.WriteLineAsync($"sent {report.ContactsSent} contacts ({report.ContactsAcknowledged} acknowledged); teams completed {report.ReferralsCompleted} and returned {report.ReferralsReturned} referrals; {report.Conflicts} lost races, {report.Throttled} throttled, {report.Failures} failures").ConfigureAwait(false);
        return report;
    }

    private RecordContactRequest NextContact(IReadOnlyList<SiteView> sites)
    {
        lock (_random)
        {
            var pick = _random.Next(Scenarios.Sum(s => s.Weight));
            var scenario = Scenarios.First(s => (pick -= s.Weight) < 0);
            var channelRoll = _random.Next(100);
            var channel = channelRoll < 50 ? "phone" : channelRoll < 70 ? "web" : channelRoll < 90 ? "lets-talk" : "welcoming-space";
            var atSites = sites.Where(s => s.Kind == channel).ToList();
            var site = atSites.Count > 0 ? atSites[_random.Next(atSites.Count)].Id : null;

            // A pool of residents, so some come back through another door ("tell us once" in action) without any
            // one of them calling thousands of times, which no real resident does.
            var who = _random.Next(ResidentPool);
            var resident = new ResidentDetails(
                $"{FirstNames[who % FirstNames.Length]} {LastNames[who % LastNames.Length]}",
                new DateOnly(1940 + (who * 7 % 65), 1 + (who % 12), 1 + (who % 28)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                Postcodes[who % Postcodes.Length],
                "01244 " + (100000 + who).ToString(System.Globalization.CultureInfo.InvariantCulture),
                null);
            return new RecordContactRequest(channel, site, resident, scenario.Summary, scenario.Needs, _random.Next(10) < 8);
        }
    }

    /// <summary>Sends one contact; when throttled, waits as told and sends it again under the same idempotency key.</summary>
    private static async Task SendContactAsync(HttpClient agent, RecordContactRequest contact, Tally tally, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref tally.Sent);
        var idempotencyKey = Guid.NewGuid().ToString("N");
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/contacts") { Content = JsonContent.Create(contact) };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            try
            {
                using var response = await agent.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    var created = await response.Content.ReadFromJsonAsync<ContactCreatedResponse>(cancellationToken).ConfigureAwait(false);
                    tally.Acknowledged.Add(created!.ContactId);
                    return;
                }

                if (response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    break;
                }

                Interlocked.Increment(ref tally.Throttled);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                break;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        Interlocked.Increment(ref tally.Failures);
    }

    /// <summary>A team works its queue: claim the most pressing unclaimed item, then usually complete it, sometimes hand it on.</summary>
    private async Task WorkQueueAsync(HttpClient worker, string service, TimeSpan duration, TimeSpan pace, Tally tally, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + duration;
        while (DateTimeOffset.UtcNow < until && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(pace, cancellationToken).ConfigureAwait(false);
                var queue = await worker.GetFromJsonAsync<QueueResponse>($"/api/queues/{service}?limit={MostWorkersPerTeam}", cancellationToken).ConfigureAwait(false);
                // Colleagues on one team look at the same queue; each takes one of the most pressing, not all the top one.
                var waiting = queue!.Items.Where(i => i.Kind == "referral" && i.Status == "raised").Take(MostWorkersPerTeam).ToList();
                if (waiting.Count == 0)
                {
                    continue;
                }

                QueueItem next;
                lock (_random)
                {
                    next = waiting[_random.Next(waiting.Count)];
                }

                var claimed = await ActAsync(worker, next.ReferralId!.Value, "claim", null, next.Version, cancellationToken).ConfigureAwait(false);
                if (claimed is null)
                {
                    Interlocked.Increment(ref tally.Conflicts);
                    continue;
                }

                int roll;
                lock (_random)
                {
                    roll = _random.Next(100);
                }

                if (roll < 15 && service != "front-door-triage")
                {
                    var elsewhere = Services[(Array.IndexOf(Services, service) + 1) % (Services.Length - 1)];
                    if (await ActAsync(worker, next.ReferralId.Value, "return", new ReturnReferralRequest("Better placed with another team.", elsewhere), claimed.Value, cancellationToken).ConfigureAwait(false) is not null)
                    {
                        Interlocked.Increment(ref tally.Returned);
                    }
                }
                else
                {
                    var accepted = await ActAsync(worker, next.ReferralId.Value, "accept", null, claimed.Value, cancellationToken).ConfigureAwait(false);
                    if (accepted is not null && await ActAsync(worker, next.ReferralId.Value, "complete", new CompleteReferralRequest("Help arranged with the resident."), accepted.Value, cancellationToken).ConfigureAwait(false) is not null)
                    {
                        Interlocked.Increment(ref tally.Completed);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref tally.Throttled);
            }
            catch (HttpRequestException ex)
            {
                if (Interlocked.Increment(ref tally.Failures) <= 3)
                {
                    await _log.WriteLineAsync($"{service} worker: {ex.Message}").ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The new version after the action, or null when someone else changed the referral first.</summary>
    private static async Task<long?> ActAsync(HttpClient worker, Guid referralId, string action, object? body, long version, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{referralId:D}/{action}") { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        using var response = await worker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        return (await response.Content.ReadFromJsonAsync<ReferralActionResponse>(cancellationToken).ConfigureAwait(false))!.Version;
    }

    private async Task<HttpClient> SignInAsync(string role, string? service, int desk, CancellationToken cancellationToken)
    {
        var client = _newClient();
        using var response = await client.PostAsJsonAsync("/api/dev/token", service is null ? new { role, desk } : new { role, service, desk } as object, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException("The simulator signs in through the demo sign-in, which this FrontDoor does not offer (Auth:Mode is not Development).");
        }

        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false)).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed class Tally
    {
        public readonly System.Collections.Concurrent.ConcurrentBag<Guid> Acknowledged = [];
        public int Sent;
        public int Completed;
        public int Returned;
        public int Conflicts;
        public int Failures;
        public int Throttled;

        public SimulationReport Report() =>
            new(Sent, Acknowledged.Count, Acknowledged.ToArray(), Completed, Returned, Conflicts, Failures, Throttled);
    }
}
