using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using FrontDoor.Contracts;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Contacts.RecordingContact;
using FrontDoor.Server.Contacts.ViewingContact;
using FrontDoor.Server.Infrastructure.Data;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.PersonalData;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Pages;
using FrontDoor.Server.ReadModels;

namespace FrontDoor.Server.Contacts.ContactingTheCouncil;

/// <summary>
/// <c>/contact-us/check</c>: "Check your request". A resident gives the reference they were given and their date of
/// birth or postcode, and sees whether the request has been passed to a team and when someone will check back —
/// never a name, never what they wrote. A wrong pair and an unknown reference get the same answer, and every attempt
/// counts against the address (<see cref="Hardening.PublicCheckPolicy"/>), so the page cannot be used to guess.
/// </summary>
public static class CheckRequestPage
{
    /// <summary>Requests one reference can stand for (references are 32 bits: two contacts can share one).</summary>
    private const int MaxCandidates = 5;

    private const string NotFound = "We could not find a request with that reference and those details. Check them and try again, or phone the council's contact centre.";

    public static IEndpointRouteBuilder MapCheckRequestPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/contact-us/check", (HttpContext http) => ContactUsPage.Html(http, Render(null, new Dictionary<string, string[]>(), null, null))).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/contact-us/check", HandleAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(Hardening.PublicCheckPolicy).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, StoreConnection store, PersonalDataVault vault, TimeProvider time, CancellationToken cancellationToken)
    {
        if (ContactUsPage.FromAnotherSite(http.Request))
        {
            return ContactUsPage.Refuse(http, new FormBody.Refusal(StatusCodes.Status403Forbidden, "The form was sent from another website.", "Use the form on this page to check your request."));
        }

        var (form, refusal) = await FormBody.ReadAsync(http.Request, 16 * 1024, cancellationToken).ConfigureAwait(false);
        if (form is null)
        {
            return ContactUsPage.Refuse(http, refusal!);
        }

        var reference = form["reference"].ToString().Trim();
        var postcode = Search.Postcode(form["postcode"].ToString());
        var dateOfBirth = DateOfBirthInput.Read(form["dateOfBirth-day"], form["dateOfBirth-month"], form["dateOfBirth-year"], DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!ContactReference.IsReference(reference))
        {
            errors["reference"] = ["Enter the reference we gave you: 8 letters and numbers, like 3F9A12BC."];
        }

        if (dateOfBirth.Error is not null)
        {
            errors["dateOfBirth"] = [dateOfBirth.Error];
        }
        else if (dateOfBirth.Date is null && postcode.Length == 0)
        {
            errors["dateOfBirth"] = ["Enter your date of birth or your postcode, as you gave them when you contacted us."];
        }

        if (errors.Count > 0)
        {
            return ContactUsPage.Html(http, Render(form, errors, dateOfBirth, null), StatusCodes.Status400BadRequest);
        }

        var status = await FindAsync(store, vault, reference, dateOfBirth.Date, postcode, cancellationToken).ConfigureAwait(false);
        return ContactUsPage.Html(http, Render(null, new Dictionary<string, string[]>(), null, status ?? NotFound));
    }

    /// <summary>What the resident may be told about their request, or null when no request has that reference and those details.</summary>
    private static async Task<string?> FindAsync(StoreConnection store, PersonalDataVault vault, string reference, string? dateOfBirth, string postcode, CancellationToken cancellationToken)
    {
        List<Guid> candidates;
        var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            candidates = await Sql.QueryAsync(
                connection,
                null,
                $"SELECT contact_id FROM rm_contacts WHERE contact_id LIKE @prefix ORDER BY contact_id LIMIT {MaxCandidates}",
                r => Guid.Parse(r.GetString(0)),
                cancellationToken,
                ("prefix", ContactReference.IdPrefix(reference) + "%")).ConfigureAwait(false);
        }

        foreach (var contactId in candidates)
        {
            var view = await ContactView.LoadAsync(store.Events, vault, contactId, cancellationToken).ConfigureAwait(false);

            // The details the request was sent with must match: an erased resident's match nothing.
            if (view?.Response.Resident is { Erased: false } resident
                && ((dateOfBirth is not null && resident.DateOfBirth == dateOfBirth) || (postcode.Length > 0 && Search.Postcode(resident.Postcode) == postcode)))
            {
                return Describe(view.Response);
            }
        }

        return null;
    }

    /// <summary>Where the request is, in words that carry nothing personal: dates, teams and what happens next.</summary>
    private static string Describe(ContactResponse contact)
    {
        static string Day(DateTimeOffset at) => at.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));
        static string Team(string service) => char.ToUpperInvariant(service[0]) + service[1..].Replace('-', ' ');

        var lines = new List<string> { $"We received your request on {Day(contact.ReceivedAt)}." };
        foreach (var referral in contact.Referrals)
        {
            lines.Add(referral.Status is "completed"
                ? $"The {Team(referral.Service)} team has finished its work on it."
                : $"It has been passed to the {Team(referral.Service)} team, who are {(referral.Status is "raised" ? "due to pick it up" : "working on it")}.");
        }

        if (contact.Signposts.Count > 0)
        {
            lines.Add("We have suggested organisations near you that can help.");
        }

        lines.Add(contact.Status == ContactStatus.Closed
            ? "Someone has checked back with you and the request is closed."
            : contact.FollowUp.DueAt is { } due
                ? $"Someone will check back with you by {Day(due)}."
                : "Someone will check back with you once the teams have finished.");
        return string.Join(" ", lines);
    }

    private static string Render(IFormCollection? form, Dictionary<string, string[]> errors, DateOfBirthInput.Reading? dateOfBirth, string? answer)
    {
        var e = HtmlEncoder.Default;
        string Value(string name, int limit)
        {
            var value = form?[name].ToString() ?? string.Empty;
            return e.Encode(value.Length > limit ? value[..limit] : value);
        }

        string ErrorFor(string key) => errors.TryGetValue(key, out var messages)
            ? $"<p class=\"govuk-error-message\" id=\"{key}-error\"><span class=\"govuk-visually-hidden\">Error:</span> {e.Encode(string.Join(" ", messages))}</p>"
            : string.Empty;
        string Group(string key) => errors.ContainsKey(key) ? "govuk-form-group govuk-form-group--error" : "govuk-form-group";

        var page = new StringBuilder("""<main class="govuk-main-wrapper" id="main-content">""");
        if (errors.Count > 0)
        {
            page.Append("""<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">""");
            foreach (var (field, messages) in errors)
            {
                var target = field == "dateOfBirth" ? DateOfBirthInput.FieldId(dateOfBirth?.Wrong is [var first, ..] ? first : DateOfBirthInput.Part.Day) : field;
                page.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#{target}\">{e.Encode(string.Join(" ", messages))}</a></li>");
            }

            page.Append("</ul></div></div></div>");
        }

        page.Append("""<h1 class="govuk-heading-l">Check your request</h1>""");
        if (answer is not null)
        {
            page.Append(CultureInfo.InvariantCulture, $"""<div class="govuk-inset-text" id="answer" role="status">{e.Encode(answer)}</div>""");
        }

        page.Append(CultureInfo.InvariantCulture, $"""
            <p class="govuk-body">Enter the reference we gave you, and your date of birth or your postcode as you gave them. We will not show your name or what you told us.</p>
            <form method="post" action="/contact-us/check" novalidate>
              <div class="{Group("reference")}"><label class="govuk-label" for="reference">Your reference</label>{ErrorFor("reference")}<input class="govuk-input govuk-input--width-10" id="reference" name="reference" type="text" spellcheck="false" autocomplete="off" value="{Value("reference", 20)}"></div>
              <div class="{Group("dateOfBirth")}">
                <fieldset class="govuk-fieldset" role="group" aria-describedby="dateOfBirth-hint">
                  <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Your date of birth</legend>
                  <div id="dateOfBirth-hint" class="govuk-hint">For example, 27 3 1985. Leave it blank to use your postcode instead.</div>
                  {ErrorFor("dateOfBirth")}
                  <div class="govuk-date-input" id="dateOfBirth">{DateOfBirthInput.Fields(dateOfBirth, Value)}</div>
                </fieldset>
              </div>
              <div class="govuk-form-group"><label class="govuk-label" for="postcode">Or your postcode</label><input class="govuk-input govuk-input--width-10" id="postcode" name="postcode" type="text" autocomplete="postal-code" value="{Value("postcode", 10)}"></div>
              <button type="submit" class="govuk-button" data-module="govuk-button">Check</button>
            </form>
            <p class="govuk-body"><a class="govuk-link" href="/contact-us">Contact the council about something new</a></p>
            </main>
            """);
        return Layout.ForResidents(errors.Count > 0 ? "Error: Check your request" : "Check your request", page.ToString());
    }
}
