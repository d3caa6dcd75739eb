using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Contacts.RecordingContact;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Store;

namespace FrontDoor.Server.Contacts.ContactingTheCouncil;

/// <summary>
/// <c>POST /api/public/contacts</c>: the resident contact form — the one write open to the public, so it is
/// rate-limited per address. It records a web contact with no needs: the front door's triage decides what help
/// fits, and the contact is owned from the moment it lands.
/// </summary>
public static class PublicContactEndpoint
{
    public const string Actor = "resident:web-form";

    public static IEndpointRouteBuilder MapPublicContact(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/public/contacts", HandleAsync)
            .AllowAnonymous()
            .RequireRateLimiting(Hardening.PublicFormPolicy)
            .WithName("SubmitContactForm")
            .WithTags("Public")
            .Accepts<PublicContactRequest>("application/json")
            .Produces<PublicContactResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IEventLog store, ContactPolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await JsonBody.ReadAsync<PublicContactRequest>(http.Request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var contact = new RecordContactRequest(ChannelCodes.Web, null, request!.Resident, request.Summary, [], request.ConsentToShare);
        var errors = RecordContactValidator.Validate(contact, policy.Sites);
        if (request.Resident is null || (string.IsNullOrWhiteSpace(request.Resident.Phone) && string.IsNullOrWhiteSpace(request.Resident.Email)))
        {
            errors["resident"] = ["Give a phone number or an email address so we can reply."];
        }

        if (errors.Count > 0)
        {
            return JsonBody.Invalid(errors);
        }

        var allowance = http.RequestServices.GetRequiredService<PublicFormAllowance>();
        var address = Hardening.AddressOf(http);
        if (!allowance.MaySend(address, out var wait))
        {
            http.Response.Headers.RetryAfter = PublicFormAllowance.RetryAfter(wait);
            return TypedResults.Problem(title: "Too many requests", detail: $"Try again in {Math.Ceiling(wait.TotalSeconds)} seconds.", statusCode: StatusCodes.Status429TooManyRequests);
        }

        var contactId = await RecordContactEndpoint.RecordAsync(http, store, policy, time, contact, Actor, string.Empty, RecordContactEndpoint.Identity.Unverified, cancellationToken).ConfigureAwait(false);
        allowance.Sent(address);

        // The reference is for the resident to quote; it opens nothing without signing in.
        return TypedResults.Created((string?)null, new PublicContactResponse(ContactReference.Of(contactId!.Value)));
    }
}

public sealed record PublicContactRequest(string? Summary, ResidentDetails? Resident, bool? ConsentToShare);

public sealed record PublicContactResponse(string Reference);
