namespace Parley.Core.Inbound;

/// <summary>
/// Where a received message ended up. Routed: posted to a chatter. Bounce: a delivery report applied to
/// what we sent. Unrouted: kept for an admin. Duplicate: a Message-ID already received. LoopLimited:
/// stopped by the per-sender loop protection. Failed: processing threw; the raw message is kept.
/// </summary>
public enum InboundStatus { Pending, Routed, Unrouted, Failed, Bounce, Duplicate, LoopLimited }

/// <summary>
/// An email as received, stored before the SMTP 250 is sent. Routing happens afterwards, from
/// this row, so a crash between the two loses nothing: pending rows are routed on restart.
/// </summary>
public sealed class InboundMessage
{
    /// <summary>RFC 5322's longest line: what <see cref="MessageId"/> keeps of a longer one.</summary>
    public const int MaxMessageIdLength = 998;

    public long Id { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string Source { get; set; } = InboundEnvelope.Smtp;
    public string? ClientAddress { get; set; }
    public string? Helo { get; set; }
    public string MailFrom { get; set; } = "";
    public string Recipients { get; set; } = "";
    public long RawMimeId { get; set; }
    public Chatter.RawMime? RawMime { get; set; }
    public string? MessageId { get; set; }
    public InboundStatus Status { get; set; }
    public string? Error { get; set; }
    /// <summary>RFC 8601 Authentication-Results value computed while routing (spf, dkim, dmarc, arc).</summary>
    public string? AuthenticationResults { get; set; }
    /// <summary>The From header address (else MAIL FROM), lower case: what loop protection counts.</summary>
    public string? Sender { get; set; }
    /// <summary>How it was routed, in words ("reply to contact 4 by In-Reply-To", "alias support@ → new contact").</summary>
    public string? Route { get; set; }
    /// <summary>The mailbox account it was fetched from, and its id there (IMAP UID or POP3 UIDL), so it is never fetched twice.</summary>
    public long? FetchAccountId { get; set; }
    public string? RemoteId { get; set; }
    public long? ChatterMessageId { get; set; }
    public Chatter.ChatterMessage? ChatterMessage { get; set; }
}
