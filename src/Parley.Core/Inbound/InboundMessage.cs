namespace Parley.Core.Inbound;

public enum InboundStatus { Pending, Routed, Unrouted, Failed }

/// <summary>
/// An email as received, stored before the SMTP 250 is sent. Routing happens afterwards, from
/// this row, so a crash between the two loses nothing: pending rows are routed on restart.
/// </summary>
public sealed class InboundMessage
{
    public long Id { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string Source { get; set; } = "smtp";
    public string? ClientAddress { get; set; }
    public string? Helo { get; set; }
    public string MailFrom { get; set; } = "";
    public string Recipients { get; set; } = "";
    public long RawMimeId { get; set; }
    public Chatter.RawMime? RawMime { get; set; }
    public string? MessageId { get; set; }
    public InboundStatus Status { get; set; }
    public string? Error { get; set; }
    public long? ChatterMessageId { get; set; }
    public Chatter.ChatterMessage? ChatterMessage { get; set; }
}
