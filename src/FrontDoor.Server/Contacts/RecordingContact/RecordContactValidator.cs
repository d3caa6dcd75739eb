using System.Globalization;
using System.Text.RegularExpressions;
using FrontDoor.Contracts;
using FrontDoor.Domain;
using FrontDoor.Domain.Catalogue;
using FrontDoor.Domain.Contacts;
using FrontDoor.Domain.Residents;

namespace FrontDoor.Server.Contacts.RecordingContact;

/// <summary>Everything wrong with a contact request, field by field, before anything is decided or stored.</summary>
public static partial class RecordContactValidator
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;

    public static Dictionary<string, string[]> Validate(RecordContactRequest request, SiteCatalogue sites)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);

        if (string.IsNullOrWhiteSpace(request.Channel))
        {
            errors["channel"] = [$"A channel is required: one of {string.Join(", ", Vocabulary.Channels)}."];
        }
        else if (!Vocabulary.IsKnownChannel(request.Channel))
        {
            errors["channel"] = [$"'{request.Channel}' is not a channel; use one of {string.Join(", ", Vocabulary.Channels)}."];
        }
        else if (Vocabulary.IsSiteChannel(request.Channel))
        {
            if (string.IsNullOrWhiteSpace(request.SiteId))
            {
                errors["siteId"] = [$"A {request.Channel} contact needs the site it happened at."];
            }
            else if (sites.Find(request.SiteId) is not { } site)
            {
                errors["siteId"] = [$"'{request.SiteId}' is not a known site; see GET /api/sites."];
            }
            else if (site.Kind != request.Channel)
            {
                errors["siteId"] = [$"'{site.Id}' is a {site.Kind} site, not a {request.Channel} site."];
            }
        }
        else if (request.SiteId is not null)
        {
            errors["siteId"] = [$"A {request.Channel} contact does not happen at a site; leave siteId out."];
        }

        if (string.IsNullOrWhiteSpace(request.Summary))
        {
            errors["summary"] = ["A summary of what the resident told us is required."];
        }
        else if (request.Summary.Length > ContactDecider.MaxSummaryLength)
        {
            errors["summary"] = [$"The summary is {request.Summary.Length} characters; the limit is {ContactDecider.MaxSummaryLength}."];
        }

        if (request.Needs is not null)
        {
            for (var i = 0; i < request.Needs.Count; i++)
            {
                if (!Vocabulary.IsKnownNeed(request.Needs[i]))
                {
                    errors[$"needs[{i}]"] = [$"'{request.Needs[i]}' is not a need; use one of {string.Join(", ", Vocabulary.Needs)}."];
                }
            }
        }

        if (request.ConsentToShare is null)
        {
            errors["consentToShare"] = ["Say whether the resident agreed to share their details with the services we refer them to."];
        }

        if (request.Resident is { } resident)
        {
            ValidateResident(resident, errors);
        }

        return errors;
    }

    public static DateOnly? ParseDateOfBirth(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static void ValidateResident(ResidentDetails resident, Dictionary<string, string[]> errors)
    {
        if (resident.Name is { Length: > MaxNameLength })
        {
            errors["resident.name"] = [$"A name is at most {MaxNameLength} characters."];
        }
        else if (ResidentName.Problem(resident.Name) is { } problem)
        {
            errors["resident.name"] = [problem.Message];
        }

        if (resident.DateOfBirth is not null)
        {
            var date = ParseDateOfBirth(resident.DateOfBirth);
            if (date is null)
            {
                errors["resident.dateOfBirth"] = ["A date of birth is a date written yyyy-mm-dd."];
            }
            else if (date.Value.Year < 1900 || date.Value > DateOnly.FromDateTime(DateTime.UtcNow))
            {
                errors["resident.dateOfBirth"] = ["A date of birth must be a real date in the past."];
            }
        }

        if (resident.Postcode is not null && !PostcodePattern().IsMatch(resident.Postcode.Trim()))
        {
            errors["resident.postcode"] = ["A postcode looks like CH65 0AB."];
        }

        if (resident.Phone is not null && !PhonePattern().IsMatch(resident.Phone.Trim()))
        {
            errors["resident.phone"] = ["A phone number is digits, spaces and an optional leading +, up to 20 digits."];
        }

        if (resident.Email is not null && (resident.Email.Length > MaxEmailLength || !EmailPattern().IsMatch(resident.Email.Trim())))
        {
            errors["resident.email"] = ["An email address looks like name@example.org."];
        }
    }

    [GeneratedRegex("^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$")]
    private static partial Regex PostcodePattern();

    [GeneratedRegex(@"^\+?[0-9][0-9 ]{5,24}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")]
    private static partial Regex EmailPattern();
}
