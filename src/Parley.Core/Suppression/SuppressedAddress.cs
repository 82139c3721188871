namespace Parley.Core.Suppression;

public enum SuppressionReason { HardBounce, Manual, Complaint, Unsubscribe }

/// <summary>An address Parley must not email: queueing to it is refused with a clear message.</summary>
public sealed class SuppressedAddress
{
    public long Id { get; set; }
    /// <summary>Lower case; unique.</summary>
    public required string Address { get; set; }
    public SuppressionReason Reason { get; set; }
    /// <summary>Why, in words: the bounce's status and diagnostic, or the admin's note.</summary>
    public string? Detail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
