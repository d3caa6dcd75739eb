using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Contacts;
using FrontDoor.Server.Contacts.RecordingContact;
using FrontDoor.Server.Infrastructure.Http;
using FrontDoor.Server.Infrastructure.Store;
using FrontDoor.Server.Pages;
using FrontDoor.Server.Triage.SuggestingNeeds;

namespace FrontDoor.Server.Contacts.ContactingTheCouncil;

/// <summary>
/// <c>/contact-us</c>: the resident contact form, for residents who get online if they can. A plain GOV.UK question
/// page rendered on the server, so it works without JavaScript; every value written back into the page is
/// HTML-encoded. It records a web contact with the needs the resident chose plus those their words suggest, routed
/// like any other; with no clear need it lands with the front door's triage.
/// </summary>
public static class ContactUsPage
{
    /// <summary>Plain-English choices, each standing for a need code.</summary>
    public static readonly (string Need, string Text)[] Choices =
    [
        (NeedCodes.Homelessness, "I might lose my home, or I have nowhere to stay"),
        (NeedCodes.HousingAdvice, "Advice about my home or tenancy"),
        (NeedCodes.MoneyAndDebt, "Money, debt or bills"),
        (NeedCodes.FoodAndFuel, "Food, heating or electricity"),
        (NeedCodes.CareAndSupport, "Care and support for me or someone close to me"),
        (NeedCodes.CarerSupport, "Support because I look after someone"),
        (NeedCodes.FamilySupport, "Help for my family or children"),
        (NeedCodes.IsolationAndWellbeing, "Feeling lonely or cut off"),
    ];

    public static IEndpointRouteBuilder MapContactUsPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/contact-us", (HttpContext http) => Html(http, Render(null, new Dictionary<string, string[]>(), null, null))).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/contact-us", HandleAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(Hardening.PublicFormPolicy).ExcludeFromDescription();

        app.MapGet("/contact-us/privacy", (HttpContext http) => Html(http, Layout.ForResidents("Privacy notice", ResidentNotices.Privacy))).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/contact-us/accessibility", (HttpContext http) => Html(http, Layout.ForResidents("Accessibility statement", ResidentNotices.Accessibility))).AllowAnonymous().ExcludeFromDescription();

        // Post/redirect/get: the confirmation is a page of its own, so refreshing it sends nothing again. The reference
        // opens nothing without signing in, so it may sit in the address.
        app.MapGet("/contact-us/sent/{reference}", (HttpContext http, string reference) => ContactReference.IsReference(reference) && !reference.Any(char.IsAsciiLetterLower)
                ? Html(http, Render(null, new Dictionary<string, string[]>(), reference, null))
                : Results.Redirect("/contact-us"))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>Where each field's error summary link goes: the input the message is about.</summary>
    private static readonly Dictionary<string, string> FieldIds = new(StringComparer.Ordinal)
    {
        ["summary"] = "summary",
        ["resident.name"] = "name",
        ["resident.phone"] = "phone",
        ["resident.email"] = "email",
        ["resident.postcode"] = "postcode",
        ["resident.dateOfBirth"] = "dateOfBirth-day",
    };

    /// <summary>The longest value each field may hold; nothing longer is written back into the page.</summary>
    private static readonly Dictionary<string, int> FieldLimits = new(StringComparer.Ordinal)
    {
        ["summary"] = ContactDecider.MaxSummaryLength,
        ["name"] = RecordContactValidator.MaxNameLength,
        ["email"] = RecordContactValidator.MaxEmailLength,
        ["phone"] = 32,
        ["postcode"] = 10,
        ["dateOfBirth-day"] = 2,
        ["dateOfBirth-month"] = 2,
        ["dateOfBirth-year"] = 4,
    };

    private static async Task<IResult> HandleAsync(HttpContext http, IEventLog store, ContactPolicy policy, TriageSuggestions triage, TimeProvider time, CancellationToken cancellationToken)
    {
        if (FromAnotherSite(http.Request))
        {
            return Refuse(http, new FormBody.Refusal(StatusCodes.Status403Forbidden, "The form was sent from another website.", "Use the form on this page to contact the council."));
        }

        var (form, refusal) = await FormBody.ReadAsync(http.Request, JsonBody.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (form is null)
        {
            return Refuse(http, refusal!);
        }

        string? Field(string name) => string.IsNullOrWhiteSpace(form[name]) ? null : form[name].ToString().Trim();
        var chosen = form["needs"].Where(n => Choices.Any(c => c.Need == n)).Select(n => n!).ToList();
        var summary = Field("summary");
        // A summary over the limit is refused below; suggesting from it first would only spend time.
        var suggested = summary is null || summary.Length > ContactDecider.MaxSummaryLength ? [] : triage.SuggestFromRules(summary).Select(s => s.Need);
        var dateOfBirth = DateOfBirthInput.Read(Field("dateOfBirth-day"), Field("dateOfBirth-month"), Field("dateOfBirth-year"), DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var resident = new ResidentDetails(Field("name") ?? string.Empty, dateOfBirth.Date, Field("postcode"), Field("phone"), Field("email"));
        var request = new RecordContactRequest(ChannelCodes.Web, null, resident.Name!.Length > 0 ? resident : resident with { Name = null }, summary, chosen.Union(suggested).ToList(), form["consent"].ToString() == "yes");

        var errors = RecordContactValidator.Validate(request, policy.Sites);
        if (resident.Phone is null && resident.Email is null)
        {
            errors["resident.phone"] = ["Give a phone number or an email address so we can reply."];
        }

        if (dateOfBirth.Error is not null)
        {
            errors["resident.dateOfBirth"] = [dateOfBirth.Error];
        }

        if (errors.Count > 0)
        {
            return Html(http, Render(form, errors, null, dateOfBirth), StatusCodes.Status400BadRequest);
        }

        // Asked to wait, the resident keeps what they typed: the page comes back with it, ready to send again.
        var allowance = http.RequestServices.GetRequiredService<PublicFormAllowance>();
        var address = Hardening.AddressOf(http);
        if (!allowance.MaySend(address, out var wait))
        {
            http.Response.Headers.RetryAfter = PublicFormAllowance.RetryAfter(wait);
            var busy = new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["form"] = [$"A lot of messages have been sent from this internet connection, so please wait {Math.Ceiling(wait.TotalMinutes)} minute(s) and press Send again. What you typed is kept below."],
            };
            return Html(http, Render(form, busy, null, dateOfBirth), StatusCodes.Status429TooManyRequests);
        }

        var contactId = await RecordContactEndpoint.RecordAsync(http, store, policy, time, request, PublicContactEndpoint.Actor, string.Empty, RecordContactEndpoint.Identity.Unverified, cancellationToken).ConfigureAwait(false);
        allowance.Sent(address);
        http.Response.Headers.Location = $"/contact-us/sent/{ContactReference.Of(contactId!.Value)}";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>
    /// Whether a browser says the post came from a page on another site. The form is anonymous and sets no cookie,
    /// so there is no session to ride and an antiforgery token (a cookie plus a hidden field) would add state to a
    /// page that has none; what a cross-site post could do is make visitors of another site send contacts in their
    /// own name. Browsers say where a post came from in headers scripts cannot forge: <c>Sec-Fetch-Site</c> (every
    /// current browser) and <c>Origin</c> (older ones too). A request with neither is not from a browser page on
    /// another site, so it is treated like any other client. Behind a proxy the request's scheme must be the one the
    /// browser used (see <c>ForwardedHeaders:KnownProxies</c>) for the origin to match.
    /// </summary>
    internal static bool FromAnotherSite(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || fetchSite.Equals("same-site", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // "null" is an opaque origin (a sandboxed frame, a redirect from elsewhere): another site's unless the
        // browser has already said where the post came from.
        var origin = request.Headers.Origin.ToString();
        return origin == "null"
            ? fetchSite.Length == 0
            : origin.Length > 0 && !origin.Equals($"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A refused form: the GOV.UK error page for a browser, ProblemDetails for anything else.</summary>
    internal static IResult Refuse(HttpContext http, FormBody.Refusal refusal)
    {
        var accept = http.Request.GetTypedHeaders().Accept;
        if (accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)))
        {
            var e = HtmlEncoder.Default;
            var page = $"""
                <main class="govuk-main-wrapper" id="main-content">
                  <div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list"><li>{e.Encode(refusal.Title)}</li></ul></div></div></div>
                  <h1 class="govuk-heading-l">{e.Encode(refusal.Title)}</h1>
                  <p class="govuk-body">{e.Encode(refusal.Detail)}</p>
                  <p class="govuk-body"><a class="govuk-link" href="/contact-us">Go to the contact form</a></p>
                </main>
                """;
            return Html(http, Layout.ForResidents("There is a problem - Contact the council", page), refusal.Status);
        }

        return Results.Problem(title: refusal.Title, detail: refusal.Detail, statusCode: refusal.Status);
    }

    /// <summary>
    /// A page of the form. Its referrer policy is same-origin rather than the site's no-referrer: under no-referrer a
    /// browser sends <c>Origin: null</c> with the form's own post, and an older browser without
    /// <c>Sec-Fetch-Site</c> could then not be told from another site's page. Other sites still get no referrer.
    /// </summary>
    internal static IResult Html(HttpContext http, string body, int status = StatusCodes.Status200OK)
    {
        http.Response.Headers["Referrer-Policy"] = "same-origin";
        return Results.Content(body, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string Render(IFormCollection? form, Dictionary<string, string[]> errors, string? reference, DateOfBirthInput.Reading? dateOfBirth)
    {
        var e = HtmlEncoder.Default;
        string Value(string name)
        {
            var value = form?[name].ToString() ?? string.Empty;
            return e.Encode(value.Length > FieldLimits[name] ? value[..FieldLimits[name]] : value);
        }

        string ErrorFor(string key, string id) => errors.TryGetValue(key, out var messages)
            ? $"<p class=\"govuk-error-message\" id=\"{id}-error\"><span class=\"govuk-visually-hidden\">Error:</span> {e.Encode(string.Join(" ", messages))}</p>"
            : string.Empty;
        string Group(string key) => errors.ContainsKey(key) ? "govuk-form-group govuk-form-group--error" : "govuk-form-group";

        var page = new StringBuilder();
        page.Append("""<main class="govuk-main-wrapper" id="main-content">""");
        if (reference is not null)
        {
            page.Append(CultureInfo.InvariantCulture, $"""
                <div class="govuk-panel govuk-panel--confirmation">
                  <h1 class="govuk-panel__title">We have your message</h1>
                  <div class="govuk-panel__body">Your reference is<br><strong id="reference">{e.Encode(reference)}</strong></div>
                </div>
                <p class="govuk-body">We will pass this to the teams who can help, and someone will check back with you.</p>
                <p class="govuk-body">Keep your reference: you can <a class="govuk-link" href="/contact-us/check">check your request</a> with it at any time.</p>
                """);
        }
        else
        {
            if (errors.Count > 0)
            {
                page.Append("""<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">""");
                foreach (var (field, messages) in errors)
                {
                    var target = field == "resident.dateOfBirth" && dateOfBirth?.Wrong is [var first, ..]
                        ? DateOfBirthInput.FieldId(first)
                        : FieldIds.GetValueOrDefault(field);
                    var message = e.Encode(string.Join(" ", messages));
                    page.Append(target is null ? $"<li>{message}</li>" : $"<li><a href=\"#{target}\">{message}</a></li>");
                }

                page.Append("</ul></div></div></div>");
            }

            page.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="/contact-us" novalidate>
                  <h1 class="govuk-heading-l">Tell us what is happening</h1>
                  <div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>If you or someone else is in danger, call 999 now.</strong></div>
                  <p class="govuk-body">Tell us once: we will pass this to the teams who can help and check back with you.</p>
                  <div class="{Group("summary")}">
                    <label class="govuk-label govuk-label--m" for="summary">What do you need help with?</label>
                    {ErrorFor("summary", "summary")}
                    <textarea class="govuk-textarea" id="summary" name="summary" rows="6" maxlength="4000">{Value("summary")}</textarea>
                  </div>
                  <div class="govuk-form-group">
                    <fieldset class="govuk-fieldset" aria-describedby="needs-hint">
                      <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Is it about any of these?</legend>
                      <div id="needs-hint" class="govuk-hint">Select all that apply, or none if you are not sure.</div>
                      <div class="govuk-checkboxes" data-module="govuk-checkboxes">
                """);
            foreach (var (need, text) in Choices)
            {
                var isChecked = form?["needs"].Contains(need) == true ? " checked" : string.Empty;
                page.Append(CultureInfo.InvariantCulture, $"""<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="need-{need}" name="needs" type="checkbox" value="{need}"{isChecked}><label class="govuk-label govuk-checkboxes__label" for="need-{need}">{e.Encode(text)}</label></div>""");
            }

            page.Append(CultureInfo.InvariantCulture, $"""
                      </div>
                    </fieldset>
                  </div>
                  <h2 class="govuk-heading-m">How can we reach you?</h2>
                  <div class="{Group("resident.name")}"><label class="govuk-label" for="name">Your name</label>{ErrorFor("resident.name", "name")}<input class="govuk-input govuk-!-width-one-half" id="name" name="name" type="text" autocomplete="name" value="{Value("name")}"></div>
                  <div class="{Group("resident.phone")}"><label class="govuk-label" for="phone">Phone number</label>{ErrorFor("resident.phone", "phone")}<input class="govuk-input govuk-input--width-20" id="phone" name="phone" type="tel" autocomplete="tel" value="{Value("phone")}"></div>
                  <div class="{Group("resident.email")}"><label class="govuk-label" for="email">Email address</label>{ErrorFor("resident.email", "email")}<input class="govuk-input govuk-!-width-one-half" id="email" name="email" type="email" autocomplete="email" value="{Value("email")}"></div>
                  <div class="{Group("resident.postcode")}"><label class="govuk-label" for="postcode">Postcode (optional)</label>{ErrorFor("resident.postcode", "postcode")}<input class="govuk-input govuk-input--width-10" id="postcode" name="postcode" type="text" autocomplete="postal-code" value="{Value("postcode")}"></div>
                  <div class="{Group("resident.dateOfBirth")}">
                    <fieldset class="govuk-fieldset" role="group" aria-describedby="dateOfBirth-hint{(errors.ContainsKey("resident.dateOfBirth") ? " dateOfBirth-error" : string.Empty)}">
                      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Date of birth (optional)</legend>
                      <div id="dateOfBirth-hint" class="govuk-hint">For example, 27 3 1985</div>
                      {ErrorFor("resident.dateOfBirth", "dateOfBirth")}
                      <div class="govuk-date-input" id="dateOfBirth">
                        {DateOfBirthInput.Fields(dateOfBirth, (id, _) => Value(id))}
                      </div>
                    </fieldset>
                  </div>
                  <div class="govuk-form-group">
                    <div class="govuk-checkboxes"><div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="consent" name="consent" type="checkbox" value="yes"{(form?["consent"].ToString() == "yes" ? " checked" : string.Empty)}><label class="govuk-label govuk-checkboxes__label" for="consent">You may share what I have told you with the council teams and partners who can help me</label></div></div>
                  </div>
                  <button type="submit" class="govuk-button" data-module="govuk-button">Send</button>
                </form>
                """);
        }

        page.Append("</main>");

        // GOV.UK: a page with errors says so first in its title, which is what a screen reader announces.
        var title = reference is not null ? "We have your message" : errors.Count > 0 ? "Error: Contact the council" : "Contact the council";
        return Layout.ForResidents(title, page.ToString());
    }
}
