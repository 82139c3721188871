namespace Parley.Core.Mailings;

/// <summary>
/// What became of one recipient before the outbox: queued (its email then has a delivery state of its own), left out
/// because the address is suppressed, skipped with a reason (a render error), or cancelled before it was handed to a
/// server. The API spells these in lower case.
/// </summary>
public enum RecipientState { Queued, Suppressed, Skipped, Cancelled }

/// <summary>One record a mailing went to: its address, its email and outbox row, and what the customer did with it.</summary>
public sealed class MailingRecipient
{
    public long Id { get; set; }
    public long MailingId { get; set; }
    public required string RecordType { get; set; }
    public long RecordId { get; set; }
    /// <summary>Lower case, as mailed.</summary>
    public required string Address { get; set; }
    /// <summary>The language the email was written in (a translation's, else the template's default).</summary>
    public string? Language { get; set; }
    public RecipientState State { get; set; }
    /// <summary>Why it was suppressed, skipped or cancelled.</summary>
    public string? Detail { get; set; }
    public long? ChatterMessageId { get; set; }
    public long? OutboxItemId { get; set; }
    public DateTimeOffset? UnsubscribedAt { get; set; }
    public DateTimeOffset? ComplainedAt { get; set; }
    public DateTimeOffset? RepliedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
