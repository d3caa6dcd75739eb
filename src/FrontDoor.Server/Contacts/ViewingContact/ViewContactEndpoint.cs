using FrontDoor.Contracts;
using FrontDoor.EventStore;

namespace FrontDoor.Server.Contacts.ViewingContact;

public static class ViewContactEndpoint
{
    public static IEndpointRouteBuilder MapViewContact(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/contacts/{contactId:guid}", HandleAsync)
            .WithName("ViewContact")
            .WithTags("Contacts")
            .Produces<ContactResponse>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> HandleAsync(Guid contactId, HttpContext http, IEventStore store, CancellationToken cancellationToken)
    {
        var view = await ContactView.LoadAsync(store, contactId, cancellationToken).ConfigureAwait(false);
        if (view is null)
        {
            return TypedResults.Problem(title: "Contact not found", detail: $"There is no contact {contactId}.", statusCode: StatusCodes.Status404NotFound);
        }

        http.Response.Headers.ETag = view.ETag;
        if (http.Request.Headers.IfNoneMatch.ToString() == view.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(view.Response);
    }
}
