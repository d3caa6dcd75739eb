using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using FrontDoor.Contracts;
using FrontDoor.Server.Pages;

namespace FrontDoor.Server.Residents.AccessingSubjectData;

/// <summary>A subject access response as a plain GOV.UK page: readable by the resident, printable, nothing hidden behind scripts.</summary>
public static class SubjectAccessPage
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static string Render(SubjectAccessResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var main = new StringBuilder();
        main.Append("<main class=\"govuk-main-wrapper\" id=\"main-content\">");
        main.Append("<h1 class=\"govuk-heading-l\">What the council holds about you</h1>");
        main.Append(CultureInfo.InvariantCulture, $"<p class=\"govuk-body\">Resident reference {E(response.ResidentId.ToString("D"))}. Prepared {E(When(response.GeneratedAt))} by {E(response.GeneratedBy)}.</p>");

        main.Append("<h2 class=\"govuk-heading-m\">Your details</h2>");
        Details(main, response.Details);

        if (response.Erasure is { } erasure)
        {
            main.Append(CultureInfo.InvariantCulture, $"<p class=\"govuk-body\">Erased on {E(When(erasure.ErasedAt))} by {E(erasure.ErasedBy)} ({E(erasure.Basis)}){(erasure.Reference is null ? string.Empty : ", reference " + E(erasure.Reference))}.</p>");
        }

        // A record of the same person merged into this one: what it holds is theirs too.
        foreach (var merged in response.MergedRecords ?? [])
        {
            main.Append(CultureInfo.InvariantCulture, $"<h2 class=\"govuk-heading-m\">Another record of yours, joined to this one on {E(When(merged.MergedAt))}</h2>");
            main.Append(CultureInfo.InvariantCulture, $"<p class=\"govuk-body\">Record {E(merged.ResidentId.ToString("D"))}, joined by {E(merged.MergedBy)}{(merged.Reason is null ? string.Empty : ": " + E(merged.Reason))}.</p>");
            Details(main, merged.Details);
        }

        main.Append("<h2 class=\"govuk-heading-m\">Consent to share</h2>");
        main.Append(CultureInfo.InvariantCulture, $"<p class=\"govuk-body\">Now shared with: {E(List(response.Consent.Services.Concat(response.Consent.Partners), "nobody"))}.</p>");
        Table(
            main,
            "Consent history",
            ["When", "Change", "Services", "Partners", "How", "Recorded by"],
            response.ConsentHistory.Select(c => new[] { When(c.At), c.Change, List(c.Services), List(c.Partners), c.Method, c.RecordedBy }));

        main.Append(CultureInfo.InvariantCulture, $"<h2 class=\"govuk-heading-m\">Your contacts with the council ({response.Contacts.Count})</h2>");
        foreach (var contact in response.Contacts)
        {
            main.Append(CultureInfo.InvariantCulture, $"<section class=\"govuk-!-margin-bottom-6\" data-contact-id=\"{E(contact.ContactId.ToString("D"))}\">");
            main.Append(CultureInfo.InvariantCulture, $"<h3 class=\"govuk-heading-s\">{E(When(contact.ReceivedAt))} by {E(contact.Channel)}{(contact.SiteId is null ? string.Empty : " at " + E(contact.SiteId))} – {E(contact.Status)}</h3>");
            main.Append(CultureInfo.InvariantCulture, $"<p class=\"govuk-body\">{(contact.SummaryErased ? "What you told us: erased." : "What you told us: " + E(contact.Summary))}</p>");
            main.Append(CultureInfo.InvariantCulture, $"<p class=\"govuk-body\">Needs: {E(List(contact.Needs))}</p>");
            Table(
                main,
                "Referrals",
                ["Service", "Priority", "Status", "Outcome"],
                contact.Referrals.Select(r => new[] { r.Service, r.Priority, r.Status, r.Outcome ?? string.Empty }));
            Table(
                main,
                "Notes the teams wrote",
                ["When", "Service", "By", "Note"],
                (response.CaseNotes ?? []).Where(n => n.ContactId == contact.ContactId).Select(n => new[] { When(n.At), n.Service, n.By, n.Text ?? "Erased." }));
            Table(
                main,
                "What happened",
                ["When", "By", "What"],
                contact.History.Select(h => new[] { When(h.At), h.Actor, h.Description }));
            main.Append("</section>");
        }

        Table(
            main,
            "Who has looked at your record",
            ["When", "Who", "Role", "Service", "What", "Through"],
            response.AccessLog.Select(a => new[] { When(a.At), a.Viewer, a.Role, a.Service ?? string.Empty, a.Subject, a.Purpose }));
        main.Append("</main>");
        return Layout.Render("Subject access", main.ToString());
    }

    private static void Details(StringBuilder html, SubjectAccessDetails details)
    {
        if (details.Erased)
        {
            html.Append("<p class=\"govuk-body\" data-erased=\"true\">Erased. These personal details have been deleted and can no longer be read.</p>");
            return;
        }

        html.Append("<dl class=\"govuk-summary-list\">");
        Row(html, "Name", details.Name);
        Row(html, "Date of birth", details.DateOfBirth);
        Row(html, "Postcode", details.Postcode);
        Row(html, "Phone", details.Phone);
        Row(html, "Email", details.Email);
        html.Append("</dl>");
    }

    private static void Row(StringBuilder html, string key, string? value) =>
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">{E(key)}</dt><dd class=\"govuk-summary-list__value\">{E(value ?? "Not given")}</dd></div>");

    private static void Table(StringBuilder html, string caption, string[] headings, IEnumerable<string[]> rows)
    {
        html.Append(CultureInfo.InvariantCulture, $"<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-table__caption--s\">{E(caption)}</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
        foreach (var heading in headings)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\" class=\"govuk-table__header\">{E(heading)}</th>");
        }

        html.Append("</tr></thead><tbody class=\"govuk-table__body\">");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            html.Append("<tr class=\"govuk-table__row\">");
            foreach (var cell in row)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"govuk-table__cell\">{E(cell)}</td>");
            }

            html.Append("</tr>");
        }

        if (!any)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\" colspan=\"{headings.Length}\">None.</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static string List(IEnumerable<string> items, string none = "none")
    {
        var text = string.Join(", ", items);
        return text.Length == 0 ? none : text;
    }

    private static string When(DateTimeOffset at) => at.ToString("d MMMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string E(string value) => Encoder.Encode(value);
}
