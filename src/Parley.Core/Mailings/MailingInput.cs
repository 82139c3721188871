namespace Parley.Core.Mailings;

/// <summary>
/// A new mailing: a template to the records with a tag, or the listed ones, or (neither given) every record of the type;
/// sent when asked (<c>/send</c>), or at <paramref name="ScheduledAt"/>. The record type defaults to the template's.
/// </summary>
public sealed record MailingInput(
    string? Name,
    long? TemplateId,
    string? RecordType,
    string? Tag,
    IReadOnlyList<long>? RecordIds,
    DateTimeOffset? ScheduledAt,
    long? OutgoingServerId,
    int? PerHour = null,
    int? SpreadMinutes = null,
    string? Filter = null);

/// <summary>A mailing's progress: how many recipients are where. Sent counts every email handed to a server (later bounced
/// ones too); delivered, those accepted and not bounced since.</summary>
public sealed record MailingCounts(
    int Total, int Queued, int Sent, int Delivered, int Deferred, int Failed, int Bounced, int Suppressed, int Skipped, int Cancelled,
    int Unsubscribed, int Complained, int Replied)
{
    public static MailingCounts None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/// <summary>A mailing with its counts, as the API and the page show it.</summary>
public sealed record MailingSummary(Mailing Mailing, string TemplateName, string? OutgoingServerName, MailingCounts Counts);

/// <summary>One recipient as the history lists it: where its email is (<paramref name="State"/>: queued, sent, deferred,
/// failed, bounced — or suppressed, skipped, cancelled when it got none) and what the customer did.</summary>
public sealed record RecipientView(
    long Id, string RecordType, long RecordId, string Address, string? Language, string State, string? Detail, long? ChatterMessageId,
    DateTimeOffset? SentAt, DateTimeOffset? UnsubscribedAt, DateTimeOffset? ComplainedAt, DateTimeOffset? RepliedAt);
