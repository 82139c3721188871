using System.Globalization;
using System.Text.Json;

namespace Parley.Core.Records;

/// <summary>A field value checked against its field's type, in the forms it is stored in (see <see cref="RecordValue"/>).</summary>
public sealed record ParsedValue(string Text, string Key, double? Number)
{
    /// <summary>The id a contact or user field links to.</summary>
    public long LinkId => long.Parse(Text, CultureInfo.InvariantCulture);
}

/// <summary>
/// Reads a field value from the API (a JSON value) or a form (a string) for its field's type, and gives it back for the
/// API (typed JSON values) and for people (display text). One owner of what each type accepts, so the API, the UI, the
/// list filters and the template fields agree.
/// </summary>
public static class FieldValues
{
    public const int MaxTextLength = 500;
    public const int MaxLongTextLength = 100_000;

    /// <summary>Null for an empty value (the field is cleared); an error message when the value does not fit the type.</summary>
    public static (ParsedValue? Value, string? Error) Parse(RecordField field, object? raw)
    {
        if (raw is JsonElement { ValueKind: JsonValueKind.Array or JsonValueKind.Object } structured)
        {
            return (null, $"{field.Label} takes {Expected(field)}, not a JSON {structured.ValueKind.ToString().ToLowerInvariant()}.");
        }
        var (text, isJsonString) = raw switch
        {
            null => (null, false),
            JsonElement { ValueKind: JsonValueKind.String } s => (s.GetString(), true),
            JsonElement { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } e => (e.GetRawText(), false),
            JsonElement => (null, false),
            string s => (s, true),
            _ => (Convert.ToString(raw, CultureInfo.InvariantCulture), false),
        };
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }
        var value = text.Trim();
        switch (field.Type)
        {
            case FieldType.Text:
            case FieldType.LongText:
                var limit = field.Type == FieldType.Text ? MaxTextLength : MaxLongTextLength;
                if (!isJsonString)
                {
                    return (null, $"{field.Label} takes text (a JSON string).");
                }
                if (value.Length > limit)
                {
                    return (null, $"{field.Label} is longer than {limit:N0} characters.");
                }
                var kept = field.Type == FieldType.Text ? OneLine(value) : text.TrimEnd();
                return (Text(kept), null);
            case FieldType.Choice:
                var choice = field.ChoiceList.FirstOrDefault(c => string.Equals(c, value, StringComparison.OrdinalIgnoreCase));
                return choice is null
                    ? (null, $"\"{value}\" is not one of {field.Label}'s choices: {string.Join(", ", field.ChoiceList)}.")
                    : (Text(choice), null);
            case FieldType.Number:
            case FieldType.Money:
                if (!decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) || Math.Abs(number) > 1_000_000_000_000m)
                {
                    return (null, $"{field.Label} takes a number, such as 1200.50, not \"{value}\".");
                }
                var canonical = field.Type == FieldType.Money
                    ? decimal.Round(number, 2).ToString("0.00", CultureInfo.InvariantCulture)
                    : number.ToString(CultureInfo.InvariantCulture);
                return (new ParsedValue(canonical, canonical, (double)number), null);
            case FieldType.Date:
                return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? (Text(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null)
                    : (null, $"{field.Label} takes a date written 2026-12-31, not \"{value}\".");
            case FieldType.DateTime:
                return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? (Text(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)), null)
                    : (null, $"{field.Label} takes a date and time such as 2026-12-31T09:30:00Z, not \"{value}\".");
            case FieldType.Bool:
                return value.ToLowerInvariant() switch
                {
                    "true" or "yes" or "on" or "1" => (new ParsedValue("true", "true", 1), null),
                    "false" or "no" or "off" or "0" => (new ParsedValue("false", "false", 0), null),
                    _ => (null, $"{field.Label} takes true or false, not \"{value}\"."),
                };
            case FieldType.Contact:
            case FieldType.User:
                return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                    ? (new ParsedValue(id.ToString(CultureInfo.InvariantCulture), id.ToString(CultureInfo.InvariantCulture), id), null)
                    : (null, $"{field.Label} takes the id of a {(field.Type == FieldType.Contact ? "contact" : "user")}, not \"{value}\".");
            default:
                return (null, $"{field.Label} has a type Parley does not know.");
        }
    }

    /// <summary>The value as the API gives it back: a JSON string, number or boolean.</summary>
    public static object? ToApi(RecordField field, string? text)
    {
        if (text is null)
        {
            return null;
        }
        return field.Type switch
        {
            FieldType.Number or FieldType.Money => decimal.Parse(text, CultureInfo.InvariantCulture),
            FieldType.Bool => text == "true",
            FieldType.Contact or FieldType.User => long.Parse(text, CultureInfo.InvariantCulture),
            _ => text,
        };
    }

    /// <summary>The value as people read it; <paramref name="names"/> names linked contacts and users by id.</summary>
    public static string Display(RecordField field, string? text, Func<FieldType, long, string?>? names = null)
    {
        if (text is null)
        {
            return "";
        }
        return field.Type switch
        {
            FieldType.Money => decimal.Parse(text, CultureInfo.InvariantCulture).ToString("#,##0.00", CultureInfo.InvariantCulture) + (field.Currency is { } c ? " " + c : ""),
            FieldType.Bool => text == "true" ? "Yes" : "No",
            FieldType.DateTime => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            FieldType.Contact or FieldType.User => names?.Invoke(field.Type, long.Parse(text, CultureInfo.InvariantCulture)) ?? $"#{text}",
            _ => text,
        };
    }

    /// <summary>What a field takes, for error messages.</summary>
    public static string Expected(RecordField field) => field.Type switch
    {
        FieldType.Text or FieldType.LongText => "text",
        FieldType.Number or FieldType.Money => "a number",
        FieldType.Date => "a date (2026-12-31)",
        FieldType.DateTime => "a date and time (2026-12-31T09:30:00Z)",
        FieldType.Bool => "true or false",
        FieldType.Choice => "one of " + string.Join(", ", field.ChoiceList),
        FieldType.Contact => "a contact's id",
        _ => "a user's id",
    };

    private static ParsedValue Text(string value) =>
        new(value, (value.Length > RecordValue.KeyLength ? value[..RecordValue.KeyLength] : value).ToLowerInvariant(), null);

    private static string OneLine(string value) =>
        string.Join(' ', value.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
