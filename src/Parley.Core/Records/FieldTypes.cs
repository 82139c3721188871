namespace Parley.Core.Records;

/// <summary>How the API and the UI spell field types (<c>text</c>, <c>longtext</c>, <c>datetime</c>…), one owner for both ways.</summary>
public static class FieldTypes
{
    private static readonly (FieldType Type, string Name, string Label)[] All =
    [
        (FieldType.Text, "text", "Text"),
        (FieldType.LongText, "longtext", "Long text"),
        (FieldType.Number, "number", "Number"),
        (FieldType.Money, "money", "Money"),
        (FieldType.Date, "date", "Date"),
        (FieldType.DateTime, "datetime", "Date and time"),
        (FieldType.Bool, "bool", "Yes/no"),
        (FieldType.Choice, "choice", "Choice"),
        (FieldType.Contact, "contact", "Contact"),
        (FieldType.User, "user", "User"),
    ];

    public static IEnumerable<(FieldType Type, string Name, string Label)> Each => All;

    public static string Names => string.Join(", ", All.Select(t => t.Name));

    public static string NameOf(FieldType type) => All.First(t => t.Type == type).Name;

    public static string LabelOf(FieldType type) => All.First(t => t.Type == type).Label;

    public static FieldType? Parse(string? name)
    {
        var match = All.FirstOrDefault(t => string.Equals(t.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        return match.Name is null ? null : match.Type;
    }
}
