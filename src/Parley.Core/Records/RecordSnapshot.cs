namespace Parley.Core.Records;

/// <summary>One record as read, with its type and the names it links to: what the API, the pages and templates show.</summary>
public sealed class RecordSnapshot(RecordType type, BusinessRecord record, RecordNames names)
{
    public RecordType Type { get; } = type;
    public BusinessRecord Record { get; } = record;
    public RecordNames Names { get; } = names;

    public RecordRef Ref => new(Type.Key, Record.Id);

    public RecordStage Stage => Type.Stages.First(s => s.Id == Record.StageId);

    /// <summary>The stored text of a field's value (removed fields included), or null.</summary>
    public string? TextOf(RecordField field) => Record.Values.FirstOrDefault(v => v.FieldId == field.Id)?.Text;

    public string Display(RecordField field) => FieldValues.Display(field, TextOf(field), Names.NameOf);

    /// <summary>"Q-00042 Website redesign": the reference, and the first text field's value when there is one.</summary>
    public string Title => Type.TitleField is { } f && TextOf(f) is { Length: > 0 } t ? $"{Record.Reference} {t}" : Record.Reference;

    public (string Name, string Email)? Assignee => Record.AssigneeUserId is { } id ? Names.User(id) : null;

    public long? CustomerId => Type.CustomerField is { } key && Type.ActiveField(key) is { } f && TextOf(f) is { } id ? long.Parse(id) : null;

    public (string Name, string Email)? Customer => CustomerId is { } id ? Names.Contact(id) : null;

    /// <summary>The active fields' values as the API gives them.</summary>
    public Dictionary<string, object?> ApiFields() => Type.ActiveFields.ToDictionary(f => f.Key, f => FieldValues.ToApi(f, TextOf(f)));

    /// <summary>
    /// What the chatter and templates see: the record's own parts, and each field (a contact or user link as an object with
    /// its name and email, so a template can write <c>{{ record.customer.name }}</c>).
    /// </summary>
    public RecordView ToView()
    {
        var fields = new Dictionary<string, object?>
        {
            ["id"] = Record.Id,
            ["reference"] = Record.Reference,
            ["title"] = Title,
            ["type"] = Type.SingularLabel,
            ["stage"] = Stage.Name,
            ["assignee"] = Assignee?.Name ?? "",
        };
        foreach (var f in Type.ActiveFields)
        {
            fields[f.Key] = TemplateValue(f);
        }
        var customer = Customer;
        return new RecordView(Ref, Title, customer?.Email, fields) { RecipientName = customer?.Name };
    }

    private object? TemplateValue(RecordField field)
    {
        var text = TextOf(field);
        if (text is null)
        {
            return field.Type is FieldType.Contact or FieldType.User ? new Dictionary<string, object?> { ["id"] = null, ["name"] = "", ["email"] = "" } : "";
        }
        switch (field.Type)
        {
            case FieldType.Contact:
            case FieldType.User:
                var id = long.Parse(text);
                var person = field.Type == FieldType.Contact ? Names.Contact(id) : Names.User(id);
                var name = person?.Name ?? "";
                return new Dictionary<string, object?>
                {
                    ["id"] = id,
                    ["name"] = name,
                    ["email"] = person?.Email ?? "",
                    ["first_name"] = name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name,
                };
            case FieldType.Number:
                return decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            case FieldType.Bool:
                return text == "true";
            default:
                return Display(field);
        }
    }
}
