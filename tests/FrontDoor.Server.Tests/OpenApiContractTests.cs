using System.Text.Json;
using System.Text.Json.Nodes;
using FrontDoor.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// The served OpenAPI document is the public contract; the copy in contracts/openapi is what other systems build
/// against. They must not drift: regenerate the copy (FRONTDOOR_UPDATE_CONTRACT=1) when the contract changes on purpose.
/// </summary>
public sealed class OpenApiContractTests
{
    [Fact]
    public async Task The_served_document_matches_the_checked_in_contract()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var client = await app.ClientAsAsync("agent");
        var served = Normalise(await client.GetStringAsync("/openapi/v1.json"));
        var path = Path.Combine(TestPostgres.RepositoryRoot(), "contracts", "openapi", "frontdoor.v1.json");

        if (Environment.GetEnvironmentVariable("FRONTDOOR_UPDATE_CONTRACT") == "1")
        {
            await File.WriteAllTextAsync(path, served);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with FRONTDOOR_UPDATE_CONTRACT=1 to create it.");
        var checkedIn = Normalise(await File.ReadAllTextAsync(path));
        Assert.Equal(checkedIn, served);

        var document = JsonNode.Parse(served)!;
        foreach (var route in new[] { "/api/contacts", "/api/contacts/{contactId}", "/api/queues/{service}", "/api/referrals/{referralId}/claim", "/api/triage/suggest", "/health/ready" })
        {
            Assert.NotNull(document["paths"]![route]);
        }
    }

    // The server list names the test host's address; everything else is the contract.
    private static string Normalise(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("servers");
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
