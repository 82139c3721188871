namespace Parley.Core.Followers;

/// <summary>A contact or user who receives a record's discussion by email.</summary>
public sealed class Follower
{
    public long Id { get; set; }
    public required string RecordType { get; set; }
    public long RecordId { get; set; }
    public long? ContactId { get; set; }
    public long? UserId { get; set; }
    public required string Name { get; set; }
    /// <summary>Lower case; one follower per address per record.</summary>
    public required string Email { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
