using MimeKit;
using MimeKit.Utils;

namespace Parley.Deliverability.Feedback;

/// <summary>The kinds of feedback RFC 5965 §7.3 registers, plus RFC 6591's auth-failure; anything else is <see cref="Unknown"/>.</summary>
public enum FeedbackType { Abuse, Fraud, Virus, Other, NotSpam, AuthFailure, Unknown }

/// <summary>
/// The RFC 6591 fields of an authentication failure report (<c>Feedback-Type: auth-failure</c>): which check failed and
/// what the reporter saw of it. Null fields were not given.
/// </summary>
/// <param name="AuthFailure">adsp, bodyhash, revoked, signature, spf or dmarc.</param>
/// <param name="DeliveryResult">delivered, spam, policy, reject or other.</param>
public sealed record AuthFailureFields(
    string? AuthFailure, string? DeliveryResult, string? DkimDomain, string? DkimIdentity, string? DkimSelector,
    string? DkimCanonicalizedHeader, string? DkimCanonicalizedBody, string? SpfDns, string? IdentityAlignment);

/// <summary>
/// One feedback report (ARF, RFC 5965): a receiver telling the sender about a message it got — a complaint ("this is
/// spam", from a feedback loop such as Yahoo's CFL or Microsoft's JMRP), or an authentication failure (RFC 6591, as DMARC
/// failure reports are). Fields the report did not give are null or empty; <see cref="Fields"/> keeps every field as
/// written, extensions included.
/// </summary>
/// <param name="FeedbackTypeName">Feedback-Type as written, in lower case (also for <see cref="FeedbackType.Unknown"/>).</param>
/// <param name="OriginalMailFrom">The original's envelope sender, without angle brackets (a VERP address names the email).</param>
/// <param name="OriginalRcptTo">The original's envelope recipients, when the reporter discloses them.</param>
/// <param name="ArrivalDate">Arrival-Date (or the older Received-Date), when it is a readable date.</param>
/// <param name="OriginalHeaders">The reported message's header, from message/rfc822 or text/rfc822-headers; null when absent.</param>
/// <param name="OriginalMessage">The whole reported message when it was included as message/rfc822.</param>
/// <param name="Problems">What does not follow RFC 5965 but did not stop the reading (a missing Version, say).</param>
public sealed record FeedbackReport(
    FeedbackType Type,
    string FeedbackTypeName,
    string? UserAgent,
    string? Version,
    string? OriginalMailFrom,
    IReadOnlyList<string> OriginalRcptTo,
    string? SourceIp,
    DateTimeOffset? ArrivalDate,
    string? ReportingMta,
    string? OriginalEnvelopeId,
    int? Incidents,
    IReadOnlyList<string> ReportedDomains,
    IReadOnlyList<string> ReportedUris,
    IReadOnlyList<string> AuthenticationResults,
    AuthFailureFields? AuthFailure,
    HeaderList? OriginalHeaders,
    MimeMessage? OriginalMessage,
    string HumanReadable,
    IReadOnlyList<KeyValuePair<string, string>> Fields,
    IReadOnlyList<string> Problems)
{
    /// <summary>The reported message's Message-ID, without angle brackets.</summary>
    public string? OriginalMessageId => OriginalHeaders?[HeaderId.MessageId] is { } id ? MimeUtils.EnumerateReferences(id).FirstOrDefault() ?? id.Trim().Trim('<', '>') : null;

    /// <summary>A complaint about unwanted mail (abuse, fraud, virus): what a mailer must act on by suppressing the recipient.</summary>
    public bool IsComplaint => Type is FeedbackType.Abuse or FeedbackType.Fraud or FeedbackType.Virus;
}

/// <summary>The result of reading a message as a feedback report: the report, or why it is not a usable one.</summary>
public sealed record FeedbackParse(FeedbackReport? Report, string? Error)
{
    public static FeedbackParse Malformed(string why) => new(null, why);
}
