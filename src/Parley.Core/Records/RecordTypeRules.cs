using System.Text.RegularExpressions;

namespace Parley.Core.Records;

/// <summary>
/// What a record type definition must be: keys that fit URLs and reply addresses and do not collide with Parley's own
/// types or query words, one customer field that links to a contact, ordered stages with at most one done and one
/// cancelled. Every problem is reported at once, named by its place in the body ("fields[2].type").
/// </summary>
public static partial class RecordTypeRules
{
    /// <summary>Type keys Parley uses itself, or that its pages and routes would confuse.</summary>
    public static readonly IReadOnlySet<string> ReservedTypeKeys = new HashSet<string>(RecordDirectory.KnownTypes)
    {
        "contacts", "record", "records", "type", "types", "user", "users", "activity", "activities", "new", "me", "inbox", "templates",
    };

    /// <summary>Field keys the record itself has, or that lists read as query words.</summary>
    public static readonly IReadOnlySet<string> ReservedFieldKeys = new HashSet<string>
    {
        "id", "reference", "title", "stage", "assignee", "version", "q", "sort", "skip", "take", "type", "created_at", "updated_at",
    };

    public const int MaxFields = 100;
    public const int MaxStages = 30;
    public const int MaxChoices = 200;

    /// <summary>The checked definition, trimmed and normalized.</summary>
    public sealed record ValidType(string Key, string Name, string SingularLabel, string Prefix, IReadOnlyList<ValidField> Fields, string? CustomerField,
        IReadOnlyList<StageInput> Stages);

    public sealed record ValidField(string Key, string Label, FieldType Type, bool Required, bool Tracked, string? Choices, string? Currency);

    public static ValidType Validate(RecordTypeInput input, string? keyFromUrl)
    {
        var errors = new Dictionary<string, string[]>();
        var key = (keyFromUrl ?? input.Key ?? "").Trim().ToLowerInvariant();
        if (keyFromUrl is null)
        {
            if (!KeyPattern().IsMatch(key))
            {
                errors["key"] = ["Use lower-case letters, digits and underscores, starting with a letter, such as quotation (at most 40)."];
            }
            else if (ReservedTypeKeys.Contains(key))
            {
                errors["key"] = [$"\"{key}\" is a record type Parley has built in (or a word its pages use); choose another key."];
            }
        }
        else if (input.Key is { } bodyKey && !string.Equals(bodyKey.Trim(), keyFromUrl, StringComparison.OrdinalIgnoreCase))
        {
            errors["key"] = [$"A record type's key cannot change (it is \"{keyFromUrl}\"); create a new type instead."];
        }

        var name = Clean(input.Name);
        if (name is null or { Length: > 100 })
        {
            errors["name"] = ["Give the type a name of at most 100 characters, such as Quotations."];
        }
        var singular = Clean(input.SingularLabel) ?? name;
        if (singular is { Length: > 100 })
        {
            errors["singularLabel"] = ["The singular label has at most 100 characters."];
        }
        var prefix = (input.Prefix ?? "").Trim();
        if (!PrefixPattern().IsMatch(prefix))
        {
            errors["prefix"] = ["The reference prefix is 1 to 10 letters, digits, hyphens or slashes, such as Q- or INV/."];
        }

        var fields = ValidateFields(input.Fields ?? [], errors);
        var customer = Clean(input.CustomerField)?.ToLowerInvariant();
        if (customer is not null && fields.FirstOrDefault(f => f.Key == customer) is var match && match?.Type != FieldType.Contact)
        {
            errors["customerField"] = [match is null
                ? $"There is no field \"{customer}\" to be the customer."
                : $"The customer field must link to a contact; \"{customer}\" is a {FieldTypes.NameOf(match.Type)} field."];
        }
        if (fields.FirstOrDefault(f => f.Key == "customer") is { } named && customer != "customer" && !errors.ContainsKey("customerField"))
        {
            errors[$"fields[{fields.ToList().IndexOf(named)}].key"] = ["\"customer\" filters lists by the customer field: only the customer field may have this key."];
        }
        var stages = ValidateStages(input.Stages ?? [], errors);
        if (errors.Count > 0)
        {
            throw new Common.InvalidInputException(errors);
        }
        return new ValidType(key, name!, singular!, prefix, fields, customer, stages);
    }

    private static List<ValidField> ValidateFields(IReadOnlyList<FieldInput> fields, Dictionary<string, string[]> errors)
    {
        if (fields.Count > MaxFields)
        {
            errors["fields"] = [$"A record type has at most {MaxFields} fields."];
            return [];
        }
        var valid = new List<ValidField>();
        var seen = new HashSet<string>();
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            var at = $"fields[{i}]";
            var key = (f?.Key ?? "").Trim().ToLowerInvariant();
            if (!KeyPattern().IsMatch(key))
            {
                errors[$"{at}.key"] = ["Use lower-case letters, digits and underscores, starting with a letter, such as amount."];
            }
            else if (ReservedFieldKeys.Contains(key))
            {
                errors[$"{at}.key"] = [$"\"{key}\" is a part of every record (or a word lists use); choose another key."];
            }
            else if (!seen.Add(key))
            {
                errors[$"{at}.key"] = [$"Two fields have the key \"{key}\"."];
            }
            var label = Clean(f?.Label);
            if (label is null or { Length: > 100 })
            {
                errors[$"{at}.label"] = ["Give the field a label of at most 100 characters."];
            }
            var type = FieldTypes.Parse(f?.Type);
            if (type is null)
            {
                errors[$"{at}.type"] = [$"\"{f?.Type}\" is not a field type. Types: {FieldTypes.Names}."];
            }
            string? choices = null;
            if (type == FieldType.Choice)
            {
                var list = (f!.Choices ?? []).Select(c => Clean(c)).OfType<string>().ToList();
                if (list.Count == 0 || list.Count > MaxChoices || list.Any(c => c.Length > 100)
                    || list.Distinct(StringComparer.OrdinalIgnoreCase).Count() != list.Count)
                {
                    errors[$"{at}.choices"] = [$"A choice field needs 1 to {MaxChoices} different choices of at most 100 characters."];
                }
                choices = string.Join('\n', list);
            }
            string? currency = null;
            if (type == FieldType.Money)
            {
                currency = string.IsNullOrWhiteSpace(f!.Currency) ? "EUR" : f.Currency.Trim().ToUpperInvariant();
                if (!CurrencyPattern().IsMatch(currency))
                {
                    errors[$"{at}.currency"] = ["The currency is a three-letter code, such as EUR or USD."];
                }
            }
            if (label is not null && type is { } t)
            {
                valid.Add(new ValidField(key, label, t, f!.Required ?? false, f.Tracked ?? false, choices, currency));
            }
        }
        return valid;
    }

    private static List<StageInput> ValidateStages(IReadOnlyList<StageInput> stages, Dictionary<string, string[]> errors)
    {
        if (stages.Count is 0 or > MaxStages)
        {
            errors["stages"] = [$"A record type needs 1 to {MaxStages} stages, in order (e.g. Draft, Sent, Won, Lost); new records start in the first."];
            return [];
        }
        var valid = new List<StageInput>();
        var seen = new HashSet<string>();
        for (var i = 0; i < stages.Count; i++)
        {
            var s = stages[i];
            var at = $"stages[{i}]";
            var key = (s?.Key ?? "").Trim().ToLowerInvariant();
            if (!KeyPattern().IsMatch(key))
            {
                errors[$"{at}.key"] = ["Use lower-case letters, digits and underscores, starting with a letter, such as draft."];
            }
            else if (!seen.Add(key))
            {
                errors[$"{at}.key"] = [$"Two stages have the key \"{key}\"."];
            }
            var name = Clean(s?.Name);
            if (name is null or { Length: > 100 })
            {
                errors[$"{at}.name"] = ["Give the stage a name of at most 100 characters."];
            }
            if (s?.Done == true && s.Cancelled == true)
            {
                errors[$"{at}.cancelled"] = ["A stage is done or cancelled, not both."];
            }
            valid.Add(new StageInput(key, name, s?.Done ?? false, s?.Cancelled ?? false));
        }
        if (valid.Count(s => s.Done == true) > 1)
        {
            errors["stages"] = ["Only one stage can be the \"done\" stage."];
        }
        if (valid.Count(s => s.Cancelled == true) > 1)
        {
            errors["stages"] = ["Only one stage can be the \"cancelled\" stage."];
        }
        return valid;
    }

    private static string? Clean(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : string.Join(' ', value.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9/-]{0,9}$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();
}
