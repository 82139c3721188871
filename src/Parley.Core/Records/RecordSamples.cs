namespace Parley.Core.Records;

/// <summary>A made-up record of a type with every field filled, so a template can be checked before any record exists.</summary>
public static class RecordSamples
{
    public static RecordSnapshot Of(RecordType type)
    {
        var record = new BusinessRecord
        {
            Id = 0,
            RecordTypeId = type.Id,
            Number = 42,
            Reference = type.ReferenceOf(42),
            StageId = type.OrderedStages.FirstOrDefault()?.Id ?? 0,
            AssigneeUserId = 0,
            UpdatedByName = "Sample User",
        };
        foreach (var f in type.ActiveFields)
        {
            record.Values.Add(new RecordValue { FieldId = f.Id, Text = SampleText(f) });
        }
        return new RecordSnapshot(type, record, RecordNames.Sample);
    }

    private static string SampleText(RecordField f) => f.Type switch
    {
        FieldType.Number => "3",
        FieldType.Money => "1200.00",
        FieldType.Date => "2026-12-31",
        FieldType.DateTime => "2026-12-31T09:30:00Z",
        FieldType.Bool => "true",
        FieldType.Choice => f.ChoiceList.FirstOrDefault() ?? "",
        FieldType.Contact or FieldType.User => "0",
        _ => $"Sample {f.Label.ToLowerInvariant()}",
    };
}
