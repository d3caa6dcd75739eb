using System.Net;
using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FrontDoor.Server.Tests;

/// <summary>
/// Every endpoint the app maps, asked by every role and by nobody. An endpoint missing from the matrix fails the
/// test, so nothing new ships without someone deciding who may use it.
/// </summary>
public sealed class RoleMatrixTests
{
    private const string Ok = "ok";
    private const string Forbidden = "403";
    private const string Unauthenticated = "401";

    private static readonly string[] Callers = ["anonymous", "agent", "worker", "manager", "admin"];

    // For each endpoint: what anonymous, an agent, a housing worker, a manager and an admin get.
    // "ok" means the request got past authorisation (any status but 401 and 403).
    private static readonly Dictionary<string, string[]> Matrix = new(StringComparer.Ordinal)
    {
        ["GET /health/live"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /health/ready"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /health/ready/details"] = [Unauthenticated, Forbidden, Forbidden, Ok, Ok],
        ["GET /openapi/{documentName}.json"] = [Unauthenticated, Ok, Ok, Ok, Ok],
        ["POST /api/dev/token"] = [Ok, Ok, Ok, Ok, Ok],
        ["POST /api/public/contacts"] = [Ok, Ok, Ok, Ok, Ok],
        ["POST /api/contacts"] = [Unauthenticated, Ok, Forbidden, Forbidden, Forbidden],
        ["GET /api/contacts/{contactId:guid}"] = [Unauthenticated, Ok, Ok, Ok, Forbidden],
        ["POST /api/contacts/{contactId:guid}/follow-up"] = [Unauthenticated, Ok, Forbidden, Forbidden, Forbidden],
        ["POST /api/contacts/{contactId:guid}/resident"] = [Unauthenticated, Ok, Forbidden, Forbidden, Forbidden],
        ["GET /api/queues/{service}"] = [Unauthenticated, Forbidden, Ok, Ok, Forbidden],
        ["GET /api/referrals/{referralId:guid}"] = [Unauthenticated, Ok, Ok, Ok, Forbidden],
        ["GET /api/referrals/{referralId:guid}/resident-work"] = [Unauthenticated, Ok, Ok, Ok, Forbidden],
        ["POST /api/referrals/{referralId:guid}/claim"] = [Unauthenticated, Forbidden, Ok, Forbidden, Forbidden],
        ["POST /api/referrals/{referralId:guid}/accept"] = [Unauthenticated, Forbidden, Ok, Ok, Forbidden],
        ["POST /api/referrals/{referralId:guid}/return"] = [Unauthenticated, Forbidden, Ok, Ok, Forbidden],
        ["POST /api/referrals/{referralId:guid}/complete"] = [Unauthenticated, Forbidden, Ok, Ok, Forbidden],
        ["POST /api/referrals/{referralId:guid}/reassign"] = [Unauthenticated, Forbidden, Forbidden, Ok, Forbidden],
        ["POST /api/referrals/{referralId:guid}/notes"] = [Unauthenticated, Forbidden, Ok, Ok, Forbidden],
        ["POST /api/referrals/{referralId:guid}/assign"] = [Unauthenticated, Ok, Ok, Ok, Forbidden],
        ["GET /api/my/work"] = [Unauthenticated, Ok, Ok, Ok, Forbidden],
        ["GET /api/teams/{service}/work"] = [Unauthenticated, Forbidden, Ok, Ok, Forbidden],
        ["POST /api/triage/suggest"] = [Unauthenticated, Ok, Forbidden, Forbidden, Forbidden],
        ["GET /api/triage/model"] = [Unauthenticated, Ok, Forbidden, Forbidden, Forbidden],
        ["GET /api/sites"] = [Unauthenticated, Ok, Ok, Ok, Ok],
        ["GET /api/directory"] = [Unauthenticated, Ok, Ok, Ok, Ok],
        ["POST /api/residents/search"] = [Unauthenticated, Ok, Forbidden, Ok, Forbidden],
        ["GET /api/residents/{residentId:guid}/access-log"] = [Unauthenticated, Forbidden, Forbidden, Ok, Forbidden],
        ["GET /api/residents/{residentId:guid}/consent"] = [Unauthenticated, Ok, Forbidden, Ok, Forbidden],
        ["POST /api/residents/{residentId:guid}/consent"] = [Unauthenticated, Ok, Forbidden, Ok, Forbidden],
        ["POST /api/residents/{residentId:guid}/consent/withdrawal"] = [Unauthenticated, Ok, Forbidden, Ok, Forbidden],
        ["POST /api/residents/{residentId:guid}/erasure"] = [Unauthenticated, Forbidden, Forbidden, Ok, Forbidden],
        ["POST /api/residents/{residentId:guid}/merge"] = [Unauthenticated, Forbidden, Forbidden, Ok, Forbidden],
        ["GET /api/residents/{residentId:guid}/subject-access"] = [Unauthenticated, Forbidden, Forbidden, Ok, Forbidden],
        ["GET /api/figures"] = [Unauthenticated, Forbidden, Forbidden, Ok, Forbidden],
        ["GET /api/work"] = [Unauthenticated, Forbidden, Forbidden, Ok, Forbidden],
        ["GET /api/admin/configuration"] = [Unauthenticated, Forbidden, Forbidden, Forbidden, Ok],
        ["PUT /api/admin/routing"] = [Unauthenticated, Forbidden, Forbidden, Forbidden, Ok],
        ["PUT /api/admin/sla"] = [Unauthenticated, Forbidden, Forbidden, Forbidden, Ok],
        ["PUT /api/admin/sites"] = [Unauthenticated, Forbidden, Forbidden, Forbidden, Ok],
        ["PUT /api/admin/directory"] = [Unauthenticated, Forbidden, Forbidden, Forbidden, Ok],
        ["GET /"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /queues/{service}"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /agent"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /wall"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /cases/{referralId:guid}"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /my-work"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /work"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /teams/{service}"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /residents"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /sign-in"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /contact-us"] = [Ok, Ok, Ok, Ok, Ok],
        ["POST /contact-us"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /contact-us/sent/{reference}"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /contact-us/privacy"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /contact-us/check"] = [Ok, Ok, Ok, Ok, Ok],
        ["POST /contact-us/check"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /contact-us/accessibility"] = [Ok, Ok, Ok, Ok, Ok],
        ["GET /hubs/triage/negotiate"] = [Unauthenticated, Ok, Ok, Ok, Forbidden],
        ["GET /hubs/triage"] = [Unauthenticated, Ok, Ok, Ok, Forbidden],
    };

    [Fact]
    public async Task Every_endpoint_answers_every_role_as_the_matrix_says()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        var api = await Api.ForAsync(app);
        var contactId = await api.RecordAsync(Api.Contact("phone", ["housing-advice"], resident: new ResidentDetails("Pat Lee", "1960-03-03", "CH4 8AA", null, null)));
        await app.CaughtUpAsync();
        var contact = await api.ContactAsync(contactId);
        var referralId = Assert.Single(contact.Referrals).ReferralId;
        var clients = new Dictionary<string, HttpClient>
        {
            ["anonymous"] = api.Anonymous,
            ["agent"] = api.Client,
            ["worker"] = api.Worker("housing"),
            ["manager"] = api.Manager,
            ["admin"] = api.Admin,
        };

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Endpoint: e)))
            .ToList();
        var mapped = endpoints.Select(e => $"{e.Method} {e.Endpoint.RoutePattern.RawText}").ToHashSet();

        Assert.Empty(mapped.Except(Matrix.Keys));
        Assert.Empty(Matrix.Keys.Except(mapped));

        var failures = new List<string>();
        foreach (var (method, endpoint) in endpoints)
        {
            var key = $"{method} {endpoint.RoutePattern.RawText}";
            AssertHasExplicitPolicy(endpoint, key);
            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/')
                .Replace("{contactId:guid}", contactId.ToString("D"), StringComparison.Ordinal)
                .Replace("{referralId:guid}", referralId.ToString("D"), StringComparison.Ordinal)
                .Replace("{residentId:guid}", contact.ResidentId!.Value.ToString("D"), StringComparison.Ordinal)
                .Replace("{service}", "housing", StringComparison.Ordinal)
                .Replace("{reference}", FrontDoor.Domain.Contacts.ContactReference.Of(contactId), StringComparison.Ordinal)
                .Replace("{documentName}", "v1", StringComparison.Ordinal);

            for (var i = 0; i < Callers.Length; i++)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                {
                    request.Content = JsonContent.Create(new { });
                }

                using var response = await clients[Callers[i]].SendAsync(request);
                var expected = Matrix[key][i];
                var actual = response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized => Unauthenticated,
                    HttpStatusCode.Forbidden => Forbidden,
                    _ => Ok,
                };
                if (actual != expected)
                {
                    failures.Add($"{key} as {Callers[i]}: expected {expected}, got {(int)response.StatusCode}");
                }

                Assert.True((int)response.StatusCode < 500, $"{key} as {Callers[i]} failed with {(int)response.StatusCode}");
            }
        }

        Assert.Empty(failures);
    }

    private static void AssertHasExplicitPolicy(Endpoint endpoint, string key)
    {
        var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Where(a => a.Policy is not null).ToList();
        Assert.True(anonymous || policies.Count > 0, $"{key} names no policy and is not explicitly anonymous");
    }
}
