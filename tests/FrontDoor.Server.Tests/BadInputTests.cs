using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Alba;

using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>Bad input gets a ProblemDetails naming the field, and nothing is appended to the log.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string, string, string> BadContacts()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var backend in FrontDoorApp.Backends)
        {
            data.Add(backend, """{"channel":"fax","summary":"x","needs":[],"consentToShare":true}""", "channel");
            data.Add(backend, """{"summary":"x","needs":[],"consentToShare":true}""", "channel");
            data.Add(backend, """{"channel":"phone","summary":"x","needs":["homelessness","flying"],"consentToShare":true}""", "needs[1]");
            data.Add(backend, """{"channel":"lets-talk","summary":"x","needs":[],"consentToShare":true}""", "siteId");
            data.Add(backend, """{"channel":"lets-talk","siteId":"atlantis","summary":"x","needs":[],"consentToShare":true}""", "siteId");
            data.Add(backend, """{"channel":"lets-talk","siteId":"welcoming-space-chester-library","summary":"x","needs":[],"consentToShare":true}""", "siteId");
            data.Add(backend, """{"channel":"phone","siteId":"lets-talk-blacon","summary":"x","needs":[],"consentToShare":true}""", "siteId");
            data.Add(backend, """{"channel":"phone","summary":"   ","needs":[],"consentToShare":true}""", "summary");
            data.Add(backend, $$"""{"channel":"phone","summary":"{{new string('a', 4001)}}","needs":[],"consentToShare":true}""", "summary");
            data.Add(backend, """{"channel":"phone","summary":"x","needs":[]}""", "consentToShare");
            data.Add(backend, """{"channel":"phone","summary":"x","needs":"homelessness","consentToShare":true}""", "needs");
            data.Add(backend, """{"channel":"phone","summary":42,"needs":[],"consentToShare":true}""", "summary");
            data.Add(backend, """{"channel":"phone","summary":"x","needs":[],"consentToShare":"yes"}""", "consentToShare");
            data.Add(backend, """{"channel":"phone","summary":"x","needs":[],"consentToShare":true,"priority":"vip"}""", "priority");
            data.Add(backend, """{"channel":"phone","summary":"x","summary":"y","needs":[],"consentToShare":true}""", "summary");
            data.Add(backend, """{"channel":"phone","summary":"x","needs":[],"consentToShare":true""", "body");
            data.Add(backend, """[]""", "body");
            data.Add(backend, """{"channel":"phone","summary":"x","needs":[],"consentToShare":true,"resident":{"name":"A","dateOfBirth":"09/02/1984"}}""", "resident.dateOfBirth");
            data.Add(backend, """{"channel":"phone","summary":"x","needs":[],"consentToShare":true,"resident":{"name":"A","postcode":"<script>"}}""", "resident.postcode");
            data.Add(backend, """{"channel":"phone","summary":"x","needs":[],"consentToShare":true,"resident":{"name":"A","email":"not-an-email"}}""", "resident.email");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadContacts))]
    public async Task A_bad_contact_is_refused_naming_the_field_and_nothing_is_stored(string backend, string body, string field)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var token = await FrontDoorApp.TokenAsync(app.CreateClient(), "agent");

        var result = await app.Alba.Scenario(s =>
        {
            s.Post.RawJson(body).ToUrl("/api/contacts");
            s.WithBearerToken(token);
            s.StatusCodeShouldBe(HttpStatusCode.BadRequest);
            s.ContentTypeShouldBe("application/problem+json");
        });

        var problem = await result.ReadAsJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"expected an error for '{field}' in {errors}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(0, await app.Store.ReadHeadPositionAsync());
    }

    [Theory]
    [MemberData(nameof(FrontDoorApp.Backends), MemberType = typeof(FrontDoorApp))]
    public async Task Other_bad_requests_are_refused_without_changing_anything(string backend)
    {
        await using var app = await FrontDoorApp.StartAsync(backend);
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"]));
        await app.CaughtUpAsync();
        var referralId = Assert.Single((await api.ContactAsync(contactId)).Referrals).ReferralId;
        var head = await app.Store.ReadHeadPositionAsync();

        await AssertBadRequest(await api.Client.GetAsync("/api/queues/parking-fines"), "service");
        await AssertBadRequest(await api.Worker("housing").GetAsync("/api/queues/housing?limit=0"), "limit");
        await AssertBadRequest(await api.Worker("housing").GetAsync("/api/queues/housing?limit=lots"), "limit");
        await AssertBadRequest(await api.ActAsync(referralId, "return", new { reason = "" }), "reason");
        await AssertBadRequest(await api.ActAsync(referralId, "return", new { reason = "Wrong team", suggestedService = "parks" }), "suggestedService");
        await AssertBadRequest(await api.ActAsync(referralId, "complete", new { outcome = " " }), "outcome");
        await AssertBadRequest(await api.PostRawAsync("/api/triage/suggest", """{"summary":""}"""), "summary");
        await AssertBadRequest(await api.Client.GetAsync("/api/directory?need=unicorns"), "need");
        await AssertBadRequest(await api.PostSearchAsync(dateOfBirth: "yesterday"), "dateOfBirth");
        using (var unsupported = await api.PostRawAsync("/api/contacts", "channel=phone", "application/x-www-form-urlencoded"))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        }

        using (var missing = await api.ActAsync(Guid.NewGuid(), "claim"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        }

        using (var noContact = await api.Client.GetAsync($"/api/contacts/{Guid.NewGuid():D}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, noContact.StatusCode);
        }

        Assert.Equal(head, await app.Store.ReadHeadPositionAsync());
        await app.SettledAsync();
    }

    private static async Task AssertBadRequest(HttpResponseMessage response, string field)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}': {problem}");
        }
    }
}
