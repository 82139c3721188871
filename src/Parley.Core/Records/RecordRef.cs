namespace Parley.Core.Records;

/// <summary>Points at one business record: its type name (e.g. "contact") and id.</summary>
public readonly record struct RecordRef(string Type, long Id)
{
    public override string ToString() => $"{Type}/{Id}";
}
