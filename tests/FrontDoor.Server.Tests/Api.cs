using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using FrontDoor.Contracts;

using FrontDoor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDoor.Server.Tests;

/// <summary>
/// The v1 HTTP contract as test clients use it, each call made by the role that does it in real life: agents
/// record and follow up, workers of the referral's service act on it, managers read queues and figures.
/// </summary>
public sealed class Api
{
    private readonly Dictionary<string, HttpClient> _workers;

    private readonly Marten.IDocumentStore _store;

    private Api(HttpClient anonymous, HttpClient agent, HttpClient manager, HttpClient admin, Dictionary<string, HttpClient> workers, Marten.IDocumentStore store)
    {
        _store = store;
        Anonymous = anonymous;
        Client = agent;
        Manager = manager;
        Admin = admin;
        _workers = workers;
    }

    public HttpClient Anonymous { get; }

    /// <summary>An agent's client: the front door.</summary>
    public HttpClient Client { get; }

    public HttpClient Manager { get; }

    public HttpClient Admin { get; }

    public HttpClient Worker(string service) => _workers[service];

    public static async Task<Api> ForAsync(FrontDoorApp app)
    {
        var workers = new Dictionary<string, HttpClient>();
        foreach (var service in new[] { "adult-social-care", "housing", "poverty-support", "early-help", "front-door-triage" })
        {
            workers[service] = await app.ClientAsAsync("worker", service);
        }

        return new Api(app.CreateClient(), await app.ClientAsAsync("agent"), await app.ClientAsAsync("manager"), await app.ClientAsAsync("admin"), workers, app.Services.GetRequiredService<Marten.IDocumentStore>());
    }

    public static RecordContactRequest Contact(
        string channel = "phone",
        string[]? needs = null,
        string summary = "Resident called about their situation.",
        string? siteId = null,
        ResidentDetails? resident = null,
        bool consent = true) =>
        new(channel, siteId, resident, summary, needs ?? [], consent);

    public async Task<Guid> RecordAsync(RecordContactRequest request, string? idempotencyKey = null)
    {
        using var response = await PostRecordAsync(request, idempotencyKey);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<ContactCreatedResponse>();
        Assert.Equal($"/api/contacts/{body!.ContactId:D}", response.Headers.Location?.ToString());
        return body.ContactId;
    }

    public Task<HttpResponseMessage> PostRecordAsync(RecordContactRequest request, string? idempotencyKey = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/contacts") { Content = JsonContent.Create(request) };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Client.SendAsync(message);
    }

    /// <summary>"Tell us once" look-up as the agent console makes it: the search terms in the body, never the URL.</summary>
    public Task<HttpResponseMessage> PostSearchAsync(string? name = null, string? dateOfBirth = null, string? postcode = null) =>
        Client.PostAsJsonAsync("/api/residents/search", new ResidentSearchRequest(name, dateOfBirth, postcode));

    public async Task<ResidentSearchResponse> SearchAsync(string? name = null, string? dateOfBirth = null, string? postcode = null)
    {
        using var response = await PostSearchAsync(name, dateOfBirth, postcode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ResidentSearchResponse>())!;
    }

    public Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType = "application/json") =>
        Client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    public async Task<ContactResponse> ContactAsync(Guid contactId) =>
        (await Manager.GetFromJsonAsync<ContactResponse>($"/api/contacts/{contactId:D}"))!;

    public async Task<QueueResponse> QueueAsync(string service) =>
        (await Manager.GetFromJsonAsync<QueueResponse>($"/api/queues/{service}"))!;

    public async Task<ReferralResponse> ReferralAsync(Guid referralId) =>
        (await Manager.GetFromJsonAsync<ReferralResponse>($"/api/referrals/{referralId:D}"))!;

    /// <summary>The figures once Marten's daemon has counted every event appended so far into the day's activity.</summary>
    public async Task<FiguresResponse> FiguresAsync()
    {
        await Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(_store, TimeSpan.FromSeconds(30));
        return (await Manager.GetFromJsonAsync<FiguresResponse>("/api/figures"))!;
    }

    /// <summary>An action on a referral by a worker of the service holding it (an agent's 404 client when there is none).</summary>
    public async Task<HttpResponseMessage> ActAsync(Guid referralId, string action, object? body = null, long? ifMatch = null)
    {
        using var found = await Manager.GetAsync($"/api/referrals/{referralId:D}");
        var client = found.IsSuccessStatusCode
            ? Worker((await found.Content.ReadFromJsonAsync<ReferralResponse>())!.Service)
            : Client;
        return await ActAsAsync(client, referralId, action, body, ifMatch);
    }

    public static Task<HttpResponseMessage> ActAsAsync(HttpClient client, Guid referralId, string action, object? body = null, long? ifMatch = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{referralId:D}/{action}")
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        if (ifMatch is { } version)
        {
            message.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        }

        return client.SendAsync(message);
    }

    public async Task<ReferralActionResponse> ActOkAsync(Guid referralId, string action, object? body = null)
    {
        using var response = await ActAsync(referralId, action, body);
        Assert.True(response.IsSuccessStatusCode, $"{action} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ReferralActionResponse>())!;
    }

    /// <summary>Claim, accept and complete: what a service team does with work it can help with.</summary>
    public async Task WorkThroughAsync(Guid referralId, string outcome = "Help given.")
    {
        await ActOkAsync(referralId, "claim");
        await ActOkAsync(referralId, "accept");
        await ActOkAsync(referralId, "complete", new CompleteReferralRequest(outcome));
    }
}
