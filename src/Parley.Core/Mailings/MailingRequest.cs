namespace Parley.Core.Mailings;

/// <summary>
/// A mass mailing: one template to many contacts — the listed ids, or everyone with a tag, or
/// (neither given) every contact.
/// </summary>
public sealed record MailingRequest(long? TemplateId, IReadOnlyList<long>? ContactIds, string? Tag);

public sealed record MailingSkip(long RecordId, string Email, string Reason);

public sealed record MailingResult(int Queued, IReadOnlyList<MailingSkip> Skipped);
