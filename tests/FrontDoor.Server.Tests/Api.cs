using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using FrontDoor.Contracts;

namespace FrontDoor.Server.Tests;

/// <summary>The v1 HTTP contract as a test client uses it.</summary>
public sealed class Api(HttpClient client)
{
    public HttpClient Client => client;

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

        return client.SendAsync(message);
    }

    public Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType = "application/json") =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    public async Task<ContactResponse> ContactAsync(Guid contactId) =>
        (await client.GetFromJsonAsync<ContactResponse>($"/api/contacts/{contactId:D}"))!;

    public async Task<QueueResponse> QueueAsync(string service) =>
        (await client.GetFromJsonAsync<QueueResponse>($"/api/queues/{service}"))!;

    public async Task<ReferralResponse> ReferralAsync(Guid referralId) =>
        (await client.GetFromJsonAsync<ReferralResponse>($"/api/referrals/{referralId:D}"))!;

    public async Task<FiguresResponse> FiguresAsync() =>
        (await client.GetFromJsonAsync<FiguresResponse>("/api/figures"))!;

    public Task<HttpResponseMessage> ActAsync(Guid referralId, string action, object? body = null, long? ifMatch = null)
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
