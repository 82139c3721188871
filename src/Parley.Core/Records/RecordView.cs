namespace Parley.Core.Records;

/// <summary>
/// What the chatter and templates need to know of a record, whatever its type: a title, the
/// address an email to it goes to, and the fields templates may use.
/// </summary>
public sealed record RecordView(RecordRef Ref, string Title, string? Email, IReadOnlyDictionary<string, object?> Fields)
{
    /// <summary>The name an email to the record is addressed to (a quotation's customer); the title when null.</summary>
    public string? RecipientName { get; init; }
}
