using System.Globalization;

namespace FrontDoor.Server.Contacts.RecordingContact;

/// <summary>
/// A date of birth typed as the GOV.UK date input asks for it: day, month and year in three fields. Whatever was
/// typed is either a date or an error on the field, never dropped: a date missing its year or on the 31st of June
/// would otherwise save a contact without the date of birth the resident gave, and "tell us once" matches on it.
/// </summary>
public static class DateOfBirthInput
{
    /// <summary>The part of the input an error is about: where the error summary's link puts the cursor.</summary>
    public enum Part
    {
        Day,
        Month,
        Year,
    }

    /// <summary>
    /// What was typed: a date (<c>yyyy-mm-dd</c>), nothing at all, or a message and the parts to correct, the first
    /// being where the error summary's link goes (all three when the message is about the whole date).
    /// </summary>
    public sealed record Reading(string? Date, string? Error, IReadOnlyList<Part> Wrong)
    {
        public static Reading Nothing { get; } = new(null, null, []);

        public static Reading Of(string date) => new(date, null, []);

        public static Reading Refused(string error, params Part[] wrong) => new(null, error, wrong);
    }

    private static readonly Part[] WholeDate = [Part.Day, Part.Month, Part.Year];

    /// <summary>The id of one of the three fields on a page: <c>dateOfBirth-day</c>, <c>-month</c>, <c>-year</c>.</summary>
    public static string FieldId(Part part) => "dateOfBirth-" + part.ToString().ToLowerInvariant();

    /// <summary>
    /// The three fields as the GOV.UK date input draws them, each marked in error when <paramref name="reading"/>
    /// says to correct it. <paramref name="typed"/> gives a field's value as typed, already HTML-encoded.
    /// </summary>
    public static string Fields(Reading? reading, Func<string, int, string> typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        string Field(Part part, string label, int width)
        {
            var id = FieldId(part);
            var wrong = reading?.Wrong.Contains(part) == true ? " govuk-input--error" : string.Empty;
            return $"""<div class="govuk-date-input__item"><div class="govuk-form-group"><label class="govuk-label govuk-date-input__label" for="{id}">{label}</label><input class="govuk-input govuk-date-input__input govuk-input--width-{width}{wrong}" id="{id}" name="{id}" type="text" inputmode="numeric" autocomplete="bday-{part.ToString().ToLowerInvariant()}" value="{typed(id, width)}"></div></div>""";
        }

        return Field(Part.Day, "Day", 2) + Field(Part.Month, "Month", 2) + Field(Part.Year, "Year", 4);
    }

    public static Reading Read(string? day, string? month, string? year, DateOnly today)
    {
        var parts = new[] { (Part.Day, Text: day?.Trim() ?? string.Empty), (Part.Month, Text: month?.Trim() ?? string.Empty), (Part.Year, Text: year?.Trim() ?? string.Empty) };
        var missing = parts.Where(p => p.Text.Length == 0).Select(p => p.Item1).ToList();
        if (missing.Count == 3)
        {
            return Reading.Nothing;
        }

        if (missing.Count > 0)
        {
            var names = string.Join(" and ", missing.Select(p => p.ToString().ToLowerInvariant()));
            return Reading.Refused($"Date of birth must include a {names}.", [.. missing]);
        }

        if (!int.TryParse(parts[0].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var d) || d is < 1 or > 31)
        {
            return Reading.Refused("Date of birth must be a real date: the day is a number from 1 to 31.", Part.Day);
        }

        if (!int.TryParse(parts[1].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m is < 1 or > 12)
        {
            return Reading.Refused("Date of birth must be a real date: the month is a number from 1 to 12.", Part.Month);
        }

        if (parts[2].Text.Length != 4 || !int.TryParse(parts[2].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var y))
        {
            return Reading.Refused("Year must include 4 numbers.", Part.Year);
        }

        if (d > DateTime.DaysInMonth(y, m))
        {
            return Reading.Refused($"Date of birth must be a real date: {CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(m)} {y} has {DateTime.DaysInMonth(y, m)} days.", Part.Day, Part.Month);
        }

        var date = new DateOnly(y, m, d);
        if (date > today)
        {
            return Reading.Refused("Date of birth must be in the past.", WholeDate);
        }

        if (y < 1900)
        {
            return Reading.Refused("Date of birth must be after 1900.", Part.Year);
        }

        return Reading.Of(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
