using System.Text.RegularExpressions;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Catalogue;
using FrontDoor.Domain.Configuration;
using FrontDoor.Domain.Routing;
using FrontDoor.Server.Infrastructure.Events;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Administering;

/// <summary>
/// Admins change the council's rules — routing table, SLA targets, sites, directory — and each change is an event
/// naming the admin. <c>If-Match</c> (the version shown by GET) stops two admins overwriting each other unseen.
/// </summary>
public static partial class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdministration(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Administration").RequireAuthorization(Policies.Admin);
        admin.MapGet("/configuration", (PolicyStore policies) => TypedResults.Ok(View(policies.CurrentSnapshot)))
            .WithName("ViewConfiguration")
            .Produces<ConfigurationResponse>();

        admin.MapPut("/routing", async (HttpContext http, IEventLog store, PolicyStore policies, TimeProvider time, CancellationToken ct) =>
            await ChangeAsync<RoutingRequest>(http, store, policies, ConfigurationStreams.Routing, s => s.RoutingVersion, ValidateRouting, (r, actor) => new RoutingTableChanged(r.Routes!.Select(x => new NeedRoute(x.Need!, x.Service, x.Priority, x.Signpost)).ToList(), actor, time.GetUtcNow()), ct).ConfigureAwait(false))
            .WithName("ChangeRoutingTable").Accepts<RoutingRequest>("application/json").Describe();

        admin.MapPut("/sla", async (HttpContext http, IEventLog store, PolicyStore policies, TimeProvider time, CancellationToken ct) =>
            await ChangeAsync<SlaRequest>(http, store, policies, ConfigurationStreams.Sla, s => s.SlaVersion, ValidateSla, (r, actor) => new SlaTargetsChanged(r.Immediate!.Value, r.Urgent!.Value, r.StandardWorkingDays!.Value, r.FollowUpWorkingDays!.Value, actor, time.GetUtcNow()), ct).ConfigureAwait(false))
            .WithName("ChangeSlaTargets").Accepts<SlaRequest>("application/json").Describe();

        admin.MapPut("/sites", async (HttpContext http, IEventLog store, PolicyStore policies, TimeProvider time, CancellationToken ct) =>
            await ChangeAsync<SitesRequest>(http, store, policies, ConfigurationStreams.Sites, s => s.SitesVersion, ValidateSites, (r, actor) => new SiteCatalogueChanged(r.Sites!.Select(x => new Site(x.Id, x.Name, x.Kind, x.Town)).ToList(), actor, time.GetUtcNow()), ct).ConfigureAwait(false))
            .WithName("ChangeSites").Accepts<SitesRequest>("application/json").Describe();

        admin.MapPut("/directory", async (HttpContext http, IEventLog store, PolicyStore policies, TimeProvider time, CancellationToken ct) =>
            await ChangeAsync<DirectoryRequest>(http, store, policies, ConfigurationStreams.Directory, s => s.DirectoryVersion, ValidateDirectory, (r, actor) => new DirectoryChanged(r.Services!.Select(ToDirectoryService).ToList(), actor, time.GetUtcNow()), ct).ConfigureAwait(false))
            .WithName("ChangeDirectory").Accepts<DirectoryRequest>("application/json").Describe();
        return app;
    }

    private static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder) => builder
        .Produces<ConfigurationResponse>()
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status412PreconditionFailed);

    private static async Task<IResult> ChangeAsync<TRequest>(
        HttpContext http,
        IEventLog store,
        PolicyStore policies,
        string stream,
        Func<PolicyStore.Snapshot, long> versionOf,
        Func<TRequest, Dictionary<string, string[]>> validate,
        Func<TRequest, string, object> change,
        CancellationToken cancellationToken)
        where TRequest : class
    {
        var (request, problem) = await JsonBody.ReadAsync<TRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = validate(request!);
        var ifMatch = http.Request.IfMatchVersion();
        if (ifMatch == -1)
        {
            errors["If-Match"] = ["If-Match must be the configuration version as read."];
        }

        if (errors.Count > 0)
        {
            return JsonBody.Invalid(errors);
        }

        var expected = ifMatch ?? await store.ReadStreamVersionAsync(stream, cancellationToken).ConfigureAwait(false);
        await store.AppendAsync(stream, ExpectedVersion.Exact(expected), Streams.Commanded([change(request!, http.Actor())], http.EventMetadata()), cancellationToken).ConfigureAwait(false);
        await policies.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = policies.CurrentSnapshot;
        http.Response.Headers.ETag = RequestContext.ETag(versionOf(snapshot));
        return TypedResults.Ok(View(snapshot));
    }

    private static ConfigurationResponse View(PolicyStore.Snapshot snapshot)
    {
        var policy = snapshot.Policy;
        return new ConfigurationResponse(
            new RoutingConfiguration(snapshot.RoutingVersion, policy.Routing.Routes.Select(r => new RouteEntry(r.Need, r.Service, r.Priority, r.Signpost)).ToList()),
            new SlaConfiguration(snapshot.SlaVersion, policy.Sla.Immediate, policy.Sla.Urgent, policy.Sla.StandardWorkingDays, policy.Sla.FollowUpWorkingDays),
            new SitesConfiguration(snapshot.SitesVersion, policy.Sites.Sites.Select(s => new SiteView(s.Id, s.Name, s.Kind, s.Town)).ToList()),
            new DirectoryConfiguration(snapshot.DirectoryVersion, policy.Directory.Services.Select(s => new DirectoryServiceView(
                s.Id, s.Name, s.Description, s.Url?.ToString(), s.Email, s.Status, new DirectoryOrganizationView(s.Organization.Id, s.Organization.Name), s.ServiceAreas, s.Taxonomies, s.ContactPhone, s.Needs, s.OpeningTimes)).ToList()));
    }

    private static Dictionary<string, string[]> ValidateRouting(RoutingRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Routes is not { Count: > 0 })
        {
            errors["routes"] = ["A routing table needs at least one route."];
            return errors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Routes.Count; i++)
        {
            var route = request.Routes[i];
            var field = $"routes[{i}]";
            if (!Vocabulary.IsKnownNeed(route.Need))
            {
                errors[$"{field}.need"] = [$"'{route.Need}' is not a need."];
            }
            else if (!seen.Add(route.Need!))
            {
                errors[$"{field}.need"] = [$"'{route.Need}' is routed twice."];
            }

            if (route.Service is null && route.Signpost is null)
            {
                errors[field] = ["A route names a service, a signpost, or both."];
            }

            if (route.Service is not null && (!Vocabulary.IsKnownService(route.Service) || !Vocabulary.IsKnownPriority(route.Priority)))
            {
                errors[$"{field}.service"] = ["A routed need names a known service and a priority (immediate, urgent or standard)."];
            }

            if (route.Signpost is not null && route.Signpost != SignpostCodes.CommunityDirectory)
            {
                errors[$"{field}.signpost"] = [$"The only signpost is '{SignpostCodes.CommunityDirectory}'."];
            }
        }

        return errors;
    }

    private static Dictionary<string, string[]> ValidateSla(SlaRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Immediate is not { } immediate || immediate <= TimeSpan.Zero || immediate > TimeSpan.FromDays(1))
        {
            errors["immediate"] = ["Immediate work is due within a day at most (for example \"01:00:00\")."];
        }

        if (request.Urgent is not { } urgent || urgent <= TimeSpan.Zero || urgent > TimeSpan.FromDays(14))
        {
            errors["urgent"] = ["Urgent work is due within fourteen days at most (for example \"1.00:00:00\")."];
        }

        if (request.StandardWorkingDays is not (>= 1 and <= 60))
        {
            errors["standardWorkingDays"] = ["Standard work is due in 1 to 60 working days."];
        }

        if (request.FollowUpWorkingDays is not (>= 1 and <= 60))
        {
            errors["followUpWorkingDays"] = ["A check-back falls 1 to 60 working days after the work is done."];
        }

        return errors;
    }

    private static Dictionary<string, string[]> ValidateSites(SitesRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Sites is not { Count: > 0 })
        {
            errors["sites"] = ["The catalogue needs at least one site."];
            return errors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Sites.Count; i++)
        {
            var site = request.Sites[i];
            if (site.Id is null || !SlugPattern().IsMatch(site.Id) || !seen.Add(site.Id))
            {
                errors[$"sites[{i}].id"] = ["A site id is a unique lower-case slug, like lets-talk-blacon."];
            }

            if (site.Kind is not (SiteKinds.LetsTalk or SiteKinds.WelcomingSpace))
            {
                errors[$"sites[{i}].kind"] = ["A site is a lets-talk or a welcoming-space site."];
            }

            if (string.IsNullOrWhiteSpace(site.Name) || string.IsNullOrWhiteSpace(site.Town))
            {
                errors[$"sites[{i}].{(string.IsNullOrWhiteSpace(site.Name) ? "name" : "town")}"] = ["A site has a name and a town."];
            }

            Text(errors, $"sites[{i}].name", site.Name, 200);
            Text(errors, $"sites[{i}].town", site.Town, 100);
        }

        return errors;
    }

    private static Dictionary<string, string[]> ValidateDirectory(DirectoryRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Services is not { Count: > 0 })
        {
            errors["services"] = ["The directory needs at least one service."];
            return errors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Services.Count; i++)
        {
            var service = request.Services[i];
            if (service.Id is null || !SlugPattern().IsMatch(service.Id) || !seen.Add(service.Id))
            {
                errors[$"services[{i}].id"] = ["A directory id is a unique lower-case slug."];
            }

            if (string.IsNullOrWhiteSpace(service.Name) || string.IsNullOrWhiteSpace(service.Description) || service.Organization is null || string.IsNullOrWhiteSpace(service.Organization.Name))
            {
                errors[$"services[{i}]"] = ["A directory service has a name, a description and an organization."];
            }

            // Pages put these links in an href: only web addresses, never javascript:, data: or anything relative.
            if (service.Url is not null && !PlainText.IsWebAddress(service.Url))
            {
                errors[$"services[{i}].url"] = ["A directory link is a full web address starting https:// (or http://), with no user name or password."];
            }

            var field = $"services[{i}]";
            Text(errors, $"{field}.name", service.Name, 200);
            Text(errors, $"{field}.description", service.Description, 4000, multiline: true);
            Text(errors, $"{field}.status", service.Status, 50);
            Text(errors, $"{field}.contactPhone", service.ContactPhone, 50);
            Text(errors, $"{field}.openingTimes", service.OpeningTimes, 200);
            Text(errors, $"{field}.organization.id", service.Organization?.Id, 200);
            Text(errors, $"{field}.organization.name", service.Organization?.Name, 200);
            if (Text(errors, $"{field}.email", service.Email, 254) && service.Email is not null && !EmailPattern().IsMatch(service.Email))
            {
                errors[$"{field}.email"] = ["An email address looks like name@example.org."];
            }

            for (var j = 0; j < (service.ServiceAreas?.Count ?? 0); j++)
            {
                Text(errors, $"{field}.serviceAreas[{j}]", service.ServiceAreas![j], 200);
            }

            for (var j = 0; j < (service.Taxonomies?.Count ?? 0); j++)
            {
                Text(errors, $"{field}.taxonomies[{j}]", service.Taxonomies![j], 200);
            }

            if (service.Needs is null || service.Needs.Any(n => !Vocabulary.IsKnownNeed(n)))
            {
                errors[$"services[{i}].needs"] = ["List the needs the service helps with, from the needs vocabulary."];
            }
        }

        return errors;
    }

    /// <summary>Adds the field's error when the text is not plain; whether it was.</summary>
    private static bool Text(Dictionary<string, string[]> errors, string field, string? value, int maxLength, bool multiline = false)
    {
        if (PlainText.Problem(value, maxLength, multiline) is not { } problem)
        {
            return true;
        }

        errors[field] = [problem];
        return false;
    }

    private static DirectoryService ToDirectoryService(DirectoryServiceView view) => new(
        view.Id,
        view.Name,
        view.Description,
        view.Url is null ? null : new Uri(view.Url),
        view.Email,
        string.IsNullOrWhiteSpace(view.Status) ? "active" : view.Status,
        new DirectoryOrganization(view.Organization.Id, view.Organization.Name),
        view.ServiceAreas ?? [],
        view.Taxonomies ?? [],
        view.ContactPhone,
        view.Needs ?? [],
        view.OpeningTimes);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex(@"^[^@\s<>""]+@[^@\s<>""]+\.[^@\s<>""]+$")]
    private static partial Regex EmailPattern();
}

public sealed record RoutingRequest(IReadOnlyList<RouteEntryRequest>? Routes);

public sealed record RouteEntryRequest(string? Need, string? Service, string? Priority, string? Signpost);

public sealed record SlaRequest(TimeSpan? Immediate, TimeSpan? Urgent, int? StandardWorkingDays, int? FollowUpWorkingDays);

public sealed record SitesRequest(IReadOnlyList<SiteView>? Sites);

public sealed record DirectoryRequest(IReadOnlyList<DirectoryServiceView>? Services);

public sealed record ConfigurationResponse(RoutingConfiguration Routing, SlaConfiguration Sla, SitesConfiguration Sites, DirectoryConfiguration Directory);

public sealed record RoutingConfiguration(long Version, IReadOnlyList<RouteEntry> Routes);

public sealed record RouteEntry(string Need, string? Service, string? Priority, string? Signpost);

public sealed record SlaConfiguration(long Version, TimeSpan Immediate, TimeSpan Urgent, int StandardWorkingDays, int FollowUpWorkingDays);

public sealed record SitesConfiguration(long Version, IReadOnlyList<SiteView> Sites);

public sealed record DirectoryConfiguration(long Version, IReadOnlyList<DirectoryServiceView> Services);
