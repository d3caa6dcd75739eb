using System.Net;
using System.Net.Http.Json;
using FrontDoor.Contracts;
using FrontDoor.Server.Contacts.RecordingContact;
using FrontDoor.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FrontDoor.Server.Tests;

/// <summary>
/// The resident's form: a date of birth is asked for as the GOV.UK date input asks for it and is never silently
/// dropped, errors follow the GOV.UK error summary pattern, and the confirmation survives a refresh without sending
/// the message again.
/// </summary>
public sealed class ContactFormTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);

    public static TheoryData<string, string, string, string?, string?, DateOfBirthInput.Part[]> Dates => new()
    {
        { "nothing", "", "", null, null, [] },
        { "a date", "7", "3", "1985", "1985-03-07", [] },
        { "padded", "07", "03", "1985", "1985-03-07", [] },
        { "no year", "7", "3", "", null, [DateOfBirthInput.Part.Year] },
        { "day only", "7", "", "", null, [DateOfBirthInput.Part.Month, DateOfBirthInput.Part.Year] },
        { "31 June", "31", "6", "1980", null, [DateOfBirthInput.Part.Day, DateOfBirthInput.Part.Month] },
        { "29 February, not a leap year", "29", "2", "1981", null, [DateOfBirthInput.Part.Day, DateOfBirthInput.Part.Month] },
        { "29 February, a leap year", "29", "2", "1980", "1980-02-29", [] },
        { "month 13", "1", "13", "1980", null, [DateOfBirthInput.Part.Month] },
        { "a two-digit year", "1", "2", "80", null, [DateOfBirthInput.Part.Year] },
        { "words", "first", "May", "1980", null, [DateOfBirthInput.Part.Day] },
        { "tomorrow", "8", "12", "2026", null, [DateOfBirthInput.Part.Day, DateOfBirthInput.Part.Month, DateOfBirthInput.Part.Year] },
        { "before 1900", "1", "1", "1899", null, [DateOfBirthInput.Part.Year] },
    };

    [Theory]
    [MemberData(nameof(Dates))]
    public void A_date_of_birth_typed_in_three_fields_is_a_date_or_an_error_on_the_parts_to_correct(string what, string day, string month, string? year, string? date, DateOfBirthInput.Part[] wrong)
    {
        var reading = DateOfBirthInput.Read(day, month, year, Today);
        Assert.True(reading.Date == date, $"{what}: {reading.Date}");
        Assert.Equal(wrong, reading.Wrong);
        Assert.Equal(wrong.Length > 0, reading.Error is not null);
    }

    [Fact]
    public async Task Bug_18_an_incomplete_or_impossible_date_of_birth_is_an_error_on_that_field_and_nothing_is_sent()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var client = app.CreateClient();

        foreach (var (day, month, year, message, link) in new[] { ("9", "2", "", "Date of birth must include a year", "#dateOfBirth-year"), ("31", "6", "1980", "Date of birth must be a real date", "#dateOfBirth-day") })
        {
            using var response = await client.PostAsync("/contact-us", Form(("dateOfBirth-day", day), ("dateOfBirth-month", month), ("dateOfBirth-year", year)));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var page = await response.Content.ReadAsStringAsync();
            Assert.Contains("<title>Error: Contact the council", page, StringComparison.Ordinal);
            Assert.Contains($"<a href=\"{link}\">{message}", page, StringComparison.Ordinal);
            Assert.Contains("id=\"dateOfBirth-error\"", page, StringComparison.Ordinal);

            // What was typed is kept in the fields to correct.
            Assert.Contains($"id=\"dateOfBirth-day\" name=\"dateOfBirth-day\" type=\"text\" inputmode=\"numeric\" autocomplete=\"bday-day\" value=\"{day}\"", page, StringComparison.Ordinal);
        }

        Assert.Equal(0, await app.Store.ReadHeadPositionAsync());
    }

    [Fact]
    public async Task Bug_18_the_confirmation_is_its_own_page_so_refreshing_it_sends_nothing_again()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var sent = await client.PostAsync("/contact-us", Form(("dateOfBirth-day", "27"), ("dateOfBirth-month", "3"), ("dateOfBirth-year", "1985")));
        Assert.Equal(HttpStatusCode.SeeOther, sent.StatusCode);
        var confirmation = sent.Headers.Location!.ToString();
        Assert.Matches("^/contact-us/sent/[0-9A-F]{8}$", confirmation);
        await app.CaughtUpAsync();
        var head = await app.Store.ReadHeadPositionAsync();

        for (var refresh = 0; refresh < 2; refresh++)
        {
            using var page = await client.GetAsync(confirmation);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains($"<strong id=\"reference\">{confirmation[^8..]}</strong>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(head, await app.Store.ReadHeadPositionAsync());

        // The date of birth reached the resident's record as a date.
        using var manager = await app.ClientAsAsync("manager");
        var queue = (await manager.GetFromJsonAsync<QueueResponse>("/api/queues/front-door-triage"))!;
        var contact = (await manager.GetFromJsonAsync<ContactResponse>($"/api/contacts/{Assert.Single(queue.Items).ContactId:D}"))!;
        Assert.Equal("1985-03-27", contact.Resident!.DateOfBirth);

        using var madeUp = await client.GetAsync("/contact-us/sent/not-a-reference");
        Assert.Equal(HttpStatusCode.Redirect, madeUp.StatusCode);
        await app.SettledAsync();
    }

    [Fact]
    public async Task Bug_18_the_form_counts_messages_sent_not_attempts_and_asks_a_busy_connection_to_wait_keeping_what_was_typed()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?> { ["RateLimits:PublicFormPermits"] = "2" });
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        // A shared connection: residents correcting mistakes use up nothing.
        for (var attempt = 0; attempt < 4; attempt++)
        {
            using var wrong = await client.PostAsync("/contact-us", Form(("dateOfBirth-day", "31"), ("dateOfBirth-month", "2"), ("dateOfBirth-year", "1990")));
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        for (var sent = 0; sent < 2; sent++)
        {
            using var ok = await client.PostAsync("/contact-us", Form());
            Assert.Equal(HttpStatusCode.SeeOther, ok.StatusCode);
        }

        await app.CaughtUpAsync();
        var head = await app.Store.ReadHeadPositionAsync();
        using var busy = await client.PostAsync("/contact-us", Form(("dateOfBirth-day", "27"), ("dateOfBirth-month", "3"), ("dateOfBirth-year", "1985")));
        Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
        Assert.True(busy.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("text/html", busy.Content.Headers.ContentType?.MediaType);
        var page = await busy.Content.ReadAsStringAsync();
        Assert.Contains("please wait", page, StringComparison.Ordinal);
        Assert.Contains("I am not sure who to ask, things are hard at the moment.</textarea>", page, StringComparison.Ordinal);
        Assert.Contains("value=\"1985\"", page, StringComparison.Ordinal);
        Assert.Equal(head, await app.Store.ReadHeadPositionAsync());
    }

    [Fact]
    public async Task The_form_names_the_council_says_to_call_999_in_danger_and_links_its_privacy_notice_and_accessibility_statement()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres");
        using var client = app.CreateClient();
        var page = await client.GetStringAsync("/contact-us");
        Assert.Contains("<span class=\"govuk-header__product-name\">Cheshire West and Chester Council</span>", page, StringComparison.Ordinal);
        Assert.Contains("If you or someone else is in danger, call 999 now.", page, StringComparison.Ordinal);
        foreach (var (link, heading) in new[] { ("/contact-us/privacy", "Privacy notice"), ("/contact-us/accessibility", "Accessibility statement") })
        {
            Assert.Contains($"href=\"{link}\"", page, StringComparison.Ordinal);
            Assert.Contains($"<h1 class=\"govuk-heading-l\">{heading}", await client.GetStringAsync(link), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bug_18_a_resident_checks_their_request_with_its_reference_and_their_date_of_birth_or_postcode_and_a_wrong_pair_reveals_nothing()
    {
        await using var app = await FrontDoorApp.StartAsync("postgres", new Dictionary<string, string?> { ["RateLimits:PublicChecks"] = "5" });
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var sent = await client.PostAsync("/contact-us", Form(("dateOfBirth-day", "27"), ("dateOfBirth-month", "3"), ("dateOfBirth-year", "1985"), ("postcode", "CH1 2AB")));
        var reference = sent.Headers.Location!.ToString()[^8..];
        await app.CaughtUpAsync();

        async Task<string> CheckAsync(params (string Name, string Value)[] fields)
        {
            using var response = await client.PostAsync("/contact-us/check", new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        foreach (var page in new[]
        {
            await CheckAsync(("reference", reference), ("dateOfBirth-day", "27"), ("dateOfBirth-month", "03"), ("dateOfBirth-year", "1985")),
            await CheckAsync(("reference", reference.ToLowerInvariant()), ("postcode", "ch12ab")),
        })
        {
            Assert.Contains("We received your request on", page, StringComparison.Ordinal);
            Assert.Contains("passed to the Front door triage team", page, StringComparison.Ordinal);
            Assert.DoesNotContain("Robin", page, StringComparison.Ordinal);
            Assert.DoesNotContain("robin@example.org", page, StringComparison.Ordinal);
            Assert.DoesNotContain("not sure who to ask", page, StringComparison.Ordinal);
        }

        // A wrong pair and a reference nobody has get the same answer.
        var wrongDate = await CheckAsync(("reference", reference), ("dateOfBirth-day", "28"), ("dateOfBirth-month", "3"), ("dateOfBirth-year", "1985"));
        var unknown = await CheckAsync(("reference", reference == "00000000" ? "00000001" : "00000000"), ("postcode", "CH1 2AB"));
        Assert.Contains("We could not find a request with that reference and those details.", wrongDate, StringComparison.Ordinal);
        Assert.Equal(wrongDate, unknown);

        using (var bad = await client.PostAsync("/contact-us/check", new FormUrlEncodedContent([KeyValuePair.Create("reference", "XYZ")])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var page = await bad.Content.ReadAsStringAsync();
            Assert.Contains("<a href=\"#reference\">Enter the reference we gave you", page, StringComparison.Ordinal);
            Assert.Contains("Enter your date of birth or your postcode", page, StringComparison.Ordinal);
        }

        // Every attempt counts, right or wrong: guessing runs out.
        using var limited = await client.PostAsync("/contact-us/check", new FormUrlEncodedContent([KeyValuePair.Create("reference", reference), KeyValuePair.Create("postcode", "CH1 2AB")]));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("text/html", limited.Content.Headers.ContentType?.MediaType);
        await app.SettledAsync();
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] date) =>
        new(new Dictionary<string, string>
        {
            ["summary"] = "I am not sure who to ask, things are hard at the moment.",
            ["name"] = "Robin Hill",
            ["email"] = "robin@example.org",
            ["consent"] = "yes",
        }.Concat(date.Select(d => KeyValuePair.Create(d.Name, d.Value))));
}
