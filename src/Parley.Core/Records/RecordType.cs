namespace Parley.Core.Records;

/// <summary>
/// An admin-defined kind of business record (Quotation, Ticket…): typed fields, the field that names the customer, and
/// ordered stages. Records of the type are numbered per type behind its prefix (<c>Q-00042</c>).
/// </summary>
public sealed class RecordType
{
    public long Id { get; set; }
    /// <summary>Lower case, letters, digits and underscores; the type's name in URLs, reply addresses and the chatter.</summary>
    public required string Key { get; set; }
    /// <summary>The plural, as lists show it ("Quotations").</summary>
    public required string Name { get; set; }
    /// <summary>One record, as the record page and events say it ("Quotation").</summary>
    public required string SingularLabel { get; set; }
    public required string Prefix { get; set; }
    /// <summary>The key of the contact field whose contact is the default recipient; null when the type has none.</summary>
    public string? CustomerField { get; set; }
    /// <summary>The number the last record got; the next one takes this plus one.</summary>
    public int LastNumber { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<RecordField> Fields { get; set; } = [];
    public List<RecordStage> Stages { get; set; } = [];

    /// <summary>The fields a user sees and sets, in order (a removed field is kept with its values, hidden).</summary>
    public IEnumerable<RecordField> ActiveFields => Fields.Where(f => !f.Removed).OrderBy(f => f.Position);

    public IEnumerable<RecordStage> OrderedStages => Stages.OrderBy(s => s.Position);

    public RecordField? ActiveField(string key) => Fields.FirstOrDefault(f => !f.Removed && f.Key == key);

    /// <summary>The first text field: its value names a record next to its reference.</summary>
    public RecordField? TitleField => ActiveFields.FirstOrDefault(f => f.Type == FieldType.Text);

    public string ReferenceOf(int number) => $"{Prefix}{number:D5}";
}

public enum FieldType { Text, LongText, Number, Money, Date, DateTime, Bool, Choice, Contact, User }

/// <summary>One typed field of a record type.</summary>
public sealed class RecordField
{
    public long Id { get; set; }
    public long RecordTypeId { get; set; }
    public required string Key { get; set; }
    public required string Label { get; set; }
    public FieldType Type { get; set; }
    public bool Required { get; set; }
    /// <summary>A change writes an event in the record's chatter (old → new, and who).</summary>
    public bool Tracked { get; set; }
    /// <summary>For a choice field: the choices, one per line, in order.</summary>
    public string? Choices { get; set; }
    /// <summary>For a money field: the ISO 4217 code its amounts are in.</summary>
    public string? Currency { get; set; }
    public int Position { get; set; }
    /// <summary>Taken out of the type: hidden everywhere, its values kept (adding the key back shows them again).</summary>
    public bool Removed { get; set; }

    public IReadOnlyList<string> ChoiceList => (Choices ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>One stage of a record type's life, in order; at most one is "done" and one "cancelled".</summary>
public sealed class RecordStage
{
    public long Id { get; set; }
    public long RecordTypeId { get; set; }
    public required string Key { get; set; }
    public required string Name { get; set; }
    public int Position { get; set; }
    public bool IsDone { get; set; }
    public bool IsCancelled { get; set; }
}
