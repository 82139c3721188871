using Parley.Core.Records;

namespace Parley.Pages.RecordTypes;

/// <summary>
/// The record type editor's form: rows of fields and stages (empty rows are left out), the customer, done and
/// cancelled stage chosen by row. Turns into the API's <see cref="RecordTypeInput"/>, and the API's error names
/// ("fields[2].type") back into the form's rows.
/// </summary>
public sealed class RecordTypeForm
{
    public const int SpareRows = 3;

    public string? Key { get; set; }
    public string? Name { get; set; }
    public string? SingularLabel { get; set; }
    public string? Prefix { get; set; }
    public List<FieldRow> Fields { get; set; } = [];
    public int? CustomerRow { get; set; }
    public List<StageRow> Stages { get; set; } = [];
    public int? DoneRow { get; set; }
    public int? CancelledRow { get; set; }

    public sealed class FieldRow
    {
        public string? Key { get; set; }
        public string? Label { get; set; }
        public string? Type { get; set; } = "text";
        public bool Required { get; set; }
        public bool Tracked { get; set; }
        /// <summary>Comma-separated.</summary>
        public string? Choices { get; set; }
        public string? Currency { get; set; }

        public bool IsEmpty => string.IsNullOrWhiteSpace(Key) && string.IsNullOrWhiteSpace(Label);
    }

    public sealed class StageRow
    {
        public string? Key { get; set; }
        public string? Name { get; set; }

        public bool IsEmpty => string.IsNullOrWhiteSpace(Key) && string.IsNullOrWhiteSpace(Name);
    }

    public static RecordTypeForm Of(RecordType type)
    {
        var fields = type.ActiveFields.ToList();
        var stages = type.OrderedStages.ToList();
        return new RecordTypeForm
        {
            Key = type.Key,
            Name = type.Name,
            SingularLabel = type.SingularLabel,
            Prefix = type.Prefix,
            Fields = fields.Select(f => new FieldRow
            {
                Key = f.Key,
                Label = f.Label,
                Type = FieldTypes.NameOf(f.Type),
                Required = f.Required,
                Tracked = f.Tracked,
                Choices = string.Join(", ", f.ChoiceList),
                Currency = f.Currency,
            }).ToList(),
            CustomerRow = fields.FindIndex(f => f.Key == type.CustomerField) is var c and >= 0 ? c : null,
            Stages = stages.Select(s => new StageRow { Key = s.Key, Name = s.Name }).ToList(),
            DoneRow = stages.FindIndex(s => s.IsDone) is var d and >= 0 ? d : null,
            CancelledRow = stages.FindIndex(s => s.IsCancelled) is var x and >= 0 ? x : null,
        };
    }

    /// <summary>A starting point for a new type: a customer and a subject, three stages.</summary>
    public static RecordTypeForm Blank() => new()
    {
        Fields = [new FieldRow { Key = "subject", Label = "Subject", Type = "text", Required = true }, new FieldRow { Key = "customer", Label = "Customer", Type = "contact", Tracked = true }],
        CustomerRow = 1,
        Stages = [new StageRow { Key = "new", Name = "New" }, new StageRow { Key = "done", Name = "Done" }, new StageRow { Key = "cancelled", Name = "Cancelled" }],
        DoneRow = 1,
        CancelledRow = 2,
    };

    /// <summary>The form with spare empty rows to fill in.</summary>
    public RecordTypeForm WithSpareRows()
    {
        while (Fields.Count(f => f.IsEmpty) < SpareRows)
        {
            Fields.Add(new FieldRow());
        }
        while (Stages.Count(s => s.IsEmpty) < SpareRows)
        {
            Stages.Add(new StageRow());
        }
        return this;
    }

    public (RecordTypeInput Input, Func<string, string> FormKey) ToInput()
    {
        var fieldRows = Fields.Select((f, i) => (f, i)).Where(x => !x.f.IsEmpty).ToList();
        var stageRows = Stages.Select((s, i) => (s, i)).Where(x => !x.s.IsEmpty).ToList();
        var customer = CustomerRow is { } c && c < Fields.Count ? Fields[c].Key : null;
        var input = new RecordTypeInput(Key, Name, SingularLabel, Prefix,
            fieldRows.Select(x => new FieldInput(x.f.Key, x.f.Label, x.f.Type, x.f.Required, x.f.Tracked,
                x.f.Choices?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), x.f.Currency)).ToList(),
            customer,
            stageRows.Select(x => new StageInput(x.s.Key, x.s.Name, DoneRow == x.i, CancelledRow == x.i)).ToList());
        // "fields[1].type" of the input is row fieldRows[1] of the form.
        string FormKey(string key)
        {
            foreach (var (prefix, rows) in new[] { ("fields", fieldRows.Select(r => r.i).ToList()), ("stages", stageRows.Select(r => r.i).ToList()) })
            {
                if (key.StartsWith(prefix + "[", StringComparison.Ordinal) && key.IndexOf(']') is var end and > 0
                    && int.TryParse(key[(prefix.Length + 1)..end], out var n) && n < rows.Count)
                {
                    return $"{prefix}[{rows[n]}]{key[(end + 1)..]}";
                }
            }
            return key;
        }
        return (input, FormKey);
    }
}
