using FrontDoor.Contracts;
using FrontDoor.Domain.Audit;
using FrontDoor.Server.Administering;
using FrontDoor.Server.Auditing;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Security;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Contacts.ViewingContact;

/// <summary>
/// <c>GET /api/contacts/{id}</c>: agents and managers see the whole contact; a worker sees it only through a
/// referral to their service (anything else is a 404, so the contact's existence does not leak), and every look
/// is recorded in the resident's access log.
/// </summary>
public static class ViewContactEndpoint
{
    public static IEndpointRouteBuilder MapViewContact(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/contacts/{contactId:guid}", HandleAsync)
            .RequireAuthorization(Policies.Caseworker)
            .WithName("ViewContact")
            .WithTags("Contacts")
            .Produces<ContactResponse>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid contactId, HttpContext http, IEventLog store, PersonalDataVault vault, AccessRecorder access, PolicyStore policies, IStaffDirectory staff, CancellationToken cancellationToken)
    {
        var view = await ContactView.LoadAsync(store, vault, contactId, cancellationToken, staff).ConfigureAwait(false);
        var user = http.User;
        if (view is null || (user.IsWorker() && !view.Services.Contains(user.Service())))
        {
            return TypedResults.Problem(title: "Contact not found", detail: $"There is no contact {contactId} for you.", statusCode: StatusCodes.Status404NotFound);
        }

        // The signposts are described from the directory as it stands, so a directory change is a new representation.
        var directory = policies.CurrentSnapshot;
        var etag = view.ETag[..^1] + $".{directory.DirectoryVersion}\"";
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        await access.RecordAsync(http, AccessSubjects.Contact, view.Response.ResidentId, contactId, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(ContactView.WithSignpostDetails(user.IsWorker() ? view.ForService(user.Service()!) : view.Response, directory.Policy.Directory));
    }
}
