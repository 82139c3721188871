namespace Parley.Core.Mailings;

/// <summary>
/// Where a mailing is in its life: a draft can be changed and sent or scheduled; a scheduled one starts at its time;
/// while sending its recipients are queued and delivered; it is sent once nothing of it waits in the outbox. Cancelled
/// stops whatever was not yet handed to a server. Paused holds it back (its complaint rate went past the stop line)
/// until an admin resumes it. The API spells these in lower case.
/// </summary>
public enum MailingState { Draft, Scheduled, Sending, Sent, Cancelled, Paused }

/// <summary>One campaign: a template sent to many records, with a state, progress and history.</summary>
public sealed class Mailing
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public long TemplateId { get; set; }
    /// <summary>The record type its recipients are (a template is bound to one type too).</summary>
    public required string RecordType { get; set; }
    /// <summary>Everyone with this tag (lower case); null for listed records or everyone.</summary>
    public string? Tag { get; set; }
    /// <summary>The listed record ids, comma-separated; null for a tag or everyone.</summary>
    public string? RecordIds { get; set; }
    /// <summary>The records a filter matches (docs/mailing-filters.md), read again when queuing; null for none.</summary>
    public string? Filter { get; set; }
    public MailingState State { get; set; }
    public DateTimeOffset? ScheduledAt { get; set; }
    /// <summary>A dedicated relay for this mailing (bulk mail kept off the transactional relay); null routes as usual.</summary>
    public long? OutgoingServerId { get; set; }
    /// <summary>Pacing: at most this many emails handed to the outbox per hour (on top of the per-domain rate limits).</summary>
    public int? PerHour { get; set; }
    /// <summary>Pacing: the sends spread evenly over this many minutes from the start.</summary>
    public int? SpreadMinutes { get; set; }
    /// <summary>Where unsubscribe links point: this server as the internet reaches it, read when the mailing was made.</summary>
    public required string PublicBaseUrl { get; set; }
    /// <summary>The user it is sent as (the From, and the sender fields of the template).</summary>
    public long CreatedByUserId { get; set; }
    /// <summary>Recipients when sending began; while queuing, the rows written so far may be fewer.</summary>
    public int Total { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>Every recipient has its row (queued, suppressed or skipped): what is left is the outbox's work.</summary>
    public DateTimeOffset? QueuedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>The node queuing its recipients and until when, so two nodes never queue the same mailing.</summary>
    public string? QueueLeaseOwner { get; set; }
    public DateTimeOffset? QueueLeaseUntil { get; set; }
    /// <summary>Why it stopped or what was overridden, in words (a cancel, the alignment override…).</summary>
    public string? Note { get; set; }
    /// <summary>An admin sent it past a rule (the alignment gate, the complaint stop); <see cref="Note"/> says which. It is not stopped again.</summary>
    public bool RulesOverridden { get; set; }
}
