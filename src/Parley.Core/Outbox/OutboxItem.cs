using Parley.Core.Chatter;

namespace Parley.Core.Outbox;

/// <summary>
/// One recipient of one outgoing email: the unit the delivery worker claims, retries and
/// reports on. Written in the same transaction as the chatter message, so nothing queued is lost.
/// </summary>
public sealed class OutboxItem
{
    public long Id { get; set; }
    public long ChatterMessageId { get; set; }
    public ChatterMessage? ChatterMessage { get; set; }
    public required string Recipient { get; set; }
    public DeliveryState State { get; set; } = DeliveryState.Queued;
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>Lease: the worker that claimed the row and until when; an expired lease can be claimed again.</summary>
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public int? LastCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>Why the last attempt took the route it took (relay, direct, From rewritten), for the chatter.</summary>
    public string? Route { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The mailing this email belongs to, if any: its progress moves as this row does.</summary>
    public long? MailingId { get; set; }
    /// <summary>The one relay this email must leave through (a mailing's dedicated server); null routes by from filter.</summary>
    public long? OutgoingServerId { get; set; }
}
