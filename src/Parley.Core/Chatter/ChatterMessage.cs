namespace Parley.Core.Chatter;

public enum MessageKind { Email, Note, Event }

public enum MessageDirection { Out, In }

/// <summary>Delivery state of an email; the API spells these in lower case.</summary>
public enum DeliveryState { Queued, Sent, Deferred, Failed, Bounced, Received }

/// <summary>One entry of a record's timeline: an email out or in, an internal note, or an event.</summary>
public sealed class ChatterMessage
{
    public long Id { get; set; }
    public required string RecordType { get; set; }
    public long RecordId { get; set; }
    public MessageKind Kind { get; set; }
    public MessageDirection? Direction { get; set; }
    public long? AuthorUserId { get; set; }
    /// <summary>Who wrote it, as shown: a user's name, or the sender of an inbound email.</summary>
    public string AuthorName { get; set; } = "";
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Subject { get; set; }
    public string BodyText { get; set; } = "";
    /// <summary>HTML as written or received; sanitised when displayed, never trusted.</summary>
    public string? BodyHtml { get; set; }
    /// <summary>RFC 5322 Message-ID without angle brackets.</summary>
    public string? MessageId { get; set; }
    public string? InReplyTo { get; set; }
    public DeliveryState? State { get; set; }
    /// <summary>Why delivery failed or is deferred, in the remote server's words; null once sent.</summary>
    public string? Error { get; set; }
    /// <summary>The remote server's last reply, whatever the outcome (e.g. "250 2.0.0 Ok: queued as 4F…").</summary>
    public string? ServerReply { get; set; }
    /// <summary>How the email left (relay and why, or direct; whether From was rewritten).</summary>
    public string? Route { get; set; }
    /// <summary>For a received email: the Authentication-Results Parley computed on arrival (spf, dkim, dmarc, arc).</summary>
    public string? AuthenticationResults { get; set; }
    public long? RawMimeId { get; set; }
    public RawMime? RawMime { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When its author last edited it (notes only, <see cref="NoteEditor"/>); null when never edited.</summary>
    public DateTimeOffset? EditedAt { get; set; }
}
