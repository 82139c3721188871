namespace Parley.Core.Records;

/// <summary>
/// One record of an admin-defined type (a quotation, a ticket…). Its field values are rows of <see cref="RecordValue"/>,
/// so lists filter and sort by any field in SQL on both providers.
/// </summary>
public sealed class BusinessRecord
{
    public long Id { get; set; }
    public long RecordTypeId { get; set; }
    public int Number { get; set; }
    /// <summary>The type's prefix and the number, as sent to customers ("Q-00042").</summary>
    public required string Reference { get; set; }
    public long StageId { get; set; }
    public long? AssigneeUserId { get; set; }
    /// <summary>Goes up by one with every change; an edit made on an older version is refused (optimistic concurrency).</summary>
    public int Version { get; set; }
    /// <summary>The version at which the stage last changed, so a refused edit can say what changed since.</summary>
    public int StageVersion { get; set; }
    public int AssigneeVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string UpdatedByName { get; set; } = "";
    public List<RecordValue> Values { get; set; } = [];
}

/// <summary>
/// The value of one field of one record. <see cref="Text"/> holds it exactly (canonical text: "1200.50", "2026-12-03",
/// "true", a contact's id); <see cref="Key"/> (lower case, bounded) and <see cref="Number"/> are what filters and sorts use.
/// </summary>
public sealed class RecordValue
{
    public const int KeyLength = 200;

    public long Id { get; set; }
    public long RecordId { get; set; }
    public long FieldId { get; set; }
    public string? Text { get; set; }
    public string? Key { get; set; }
    public double? Number { get; set; }
    /// <summary>The record version that last changed this value.</summary>
    public int ChangedInVersion { get; set; }
}
