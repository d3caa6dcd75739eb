using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;

namespace FrontDoor.Server.Catalogue.ListingCatalogue;

/// <summary>The sites contacts happen at, and the community directory the front door signposts to.</summary>
public static class CatalogueEndpoints
{
    public static IEndpointRouteBuilder MapCatalogue(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sites", (ContactPolicy policy) => TypedResults.Ok(new SitesResponse(
                policy.Sites.Sites.Select(s => new SiteView(s.Id, s.Name, s.Kind, s.Town)).ToList())))
            .RequireAuthorization(Policies.Staff)
            .WithName("ListSites")
            .WithTags("Catalogue");

        app.MapGet("/api/directory", ListDirectory)
            .RequireAuthorization(Policies.Staff)
            .WithName("ListDirectory")
            .WithTags("Catalogue")
            .Produces<DirectoryResponse>()
            .ProducesValidationProblem();
        return app;
    }

    private static IResult ListDirectory(string? need, ContactPolicy policy)
    {
        if (need is not null && !Vocabulary.IsKnownNeed(need))
        {
            return JsonBody.Invalid("need", $"'{need}' is not a need; use one of {string.Join(", ", Vocabulary.Needs)}.");
        }

        var services = need is null ? policy.Directory.Services : policy.Directory.ForNeed(need);
        return TypedResults.Ok(new DirectoryResponse(services.Select(s => new DirectoryServiceView(
            s.Id,
            s.Name,
            s.Description,
            s.Url?.ToString(),
            s.Email,
            s.Status,
            new DirectoryOrganizationView(s.Organization.Id, s.Organization.Name),
            s.ServiceAreas,
            s.Taxonomies,
            s.ContactPhone,
            s.Needs,
            s.OpeningTimes)).ToList()));
    }
}
