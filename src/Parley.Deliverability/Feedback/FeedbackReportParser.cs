using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace Parley.Deliverability.Feedback;

/// <summary>
/// Reads feedback reports (ARF, RFC 5965): <c>multipart/report; report-type=feedback-report</c> with a human-readable
/// part, a <c>message/feedback-report</c> part of fields, and the reported message as <c>message/rfc822</c> or only its
/// header as <c>text/rfc822-headers</c>; authentication failure reports (RFC 6591) are the same with
/// <c>Feedback-Type: auth-failure</c> and their own fields. Also found when a forwarder wrapped the report in another
/// multipart. Never throws: a report it cannot use comes back with the reason. Bounded: only the first
/// <see cref="MaxFields"/> fields are read, and a value past <see cref="MaxValueLength"/> characters is cut.
/// </summary>
public static class FeedbackReportParser
{
    public const int MaxFields = 1000;
    public const int MaxValueLength = 4000;
    private const int MaxDepth = 8;

    /// <summary>Whether the message is (or wraps) a feedback report, readable or not.</summary>
    public static bool IsFeedbackReport(MimeMessage message) => FindReport(message.Body, 0) is not null;

    /// <summary>The report, or null when the message is not a feedback report at all.</summary>
    public static FeedbackParse? Parse(MimeMessage message)
    {
        if (FindReport(message.Body, 0) is not { } report)
        {
            return null;
        }
        var fieldsPart = report.OfType<MessageFeedbackReport>().FirstOrDefault();
        var fields = fieldsPart is not null ? Read(fieldsPart.Fields) : ReadTextFields(report);
        if (fields is null)
        {
            return FeedbackParse.Malformed("A feedback report without its machine-readable part (message/feedback-report).");
        }
        if (First(fields, "Feedback-Type") is not { Length: > 0 } typeName)
        {
            return FeedbackParse.Malformed("A feedback report without a Feedback-Type field.");
        }
        var problems = new List<string>();
        var userAgent = First(fields, "User-Agent");
        var version = First(fields, "Version");
        if (userAgent is null)
        {
            problems.Add("no User-Agent field");
        }
        if (version is null)
        {
            problems.Add("no Version field");
        }
        else if (version != "1")
        {
            problems.Add($"Version {version}, not 1");
        }

        var (originalHeaders, originalMessage) = Original(report);
        if (originalHeaders is null)
        {
            problems.Add("the reported message is not included");
        }

        var arrivalText = First(fields, "Arrival-Date") ?? First(fields, "Received-Date");
        DateTimeOffset? arrival = arrivalText is not null && DateUtils.TryParse(arrivalText, out var parsed) ? parsed : null;
        if (arrivalText is not null && arrival is null)
        {
            problems.Add($"Arrival-Date \"{arrivalText}\" is not a date");
        }

        var type = TypeOf(typeName.ToLowerInvariant());
        return new FeedbackParse(new FeedbackReport(
            type, typeName.ToLowerInvariant(), userAgent, version,
            Address(First(fields, "Original-Mail-From")),
            All(fields, "Original-Rcpt-To").Select(Address).OfType<string>().ToList(),
            First(fields, "Source-IP"),
            arrival,
            First(fields, "Reporting-MTA"),
            First(fields, "Original-Envelope-Id"),
            int.TryParse(First(fields, "Incidents"), NumberStyles.None, CultureInfo.InvariantCulture, out var incidents) ? incidents : null,
            All(fields, "Reported-Domain"),
            All(fields, "Reported-URI"),
            All(fields, "Authentication-Results"),
            type == FeedbackType.AuthFailure ? AuthFailureOf(fields) : null,
            originalHeaders,
            originalMessage,
            HumanReadable(report),
            fields,
            problems), null);
    }

    private static MultipartReport? FindReport(MimeEntity? entity, int depth) => depth > MaxDepth ? null : entity switch
    {
        MultipartReport r when string.Equals(r.ReportType, "feedback-report", StringComparison.OrdinalIgnoreCase) => r,
        Multipart m => m.Select(e => FindReport(e, depth + 1)).FirstOrDefault(r => r is not null),
        MessagePart { Message: { } inner } => FindReport(inner.Body, depth + 1),
        _ => null,
    };

    private static List<KeyValuePair<string, string>> Read(HeaderList headers) =>
        headers.Take(MaxFields).Select(h => new KeyValuePair<string, string>(h.Field, Clean(h.Value))).ToList();

    /// <summary>Some reporters label the fields part text/plain (or anything else): the second part, read as fields.</summary>
    private static List<KeyValuePair<string, string>>? ReadTextFields(MultipartReport report)
    {
        if (report.Count < 2 || report[1] is not MimePart { Content: { } content })
        {
            return null;
        }
        using var stream = new MemoryStream();
        content.DecodeTo(stream);
        if (stream.Length > 1_000_000)
        {
            return null;
        }
        stream.Position = 0;
        try
        {
            var fields = Read(HeaderList.Load(stream));
            return fields.Any(f => f.Key.Equals("Feedback-Type", StringComparison.OrdinalIgnoreCase)) ? fields : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static (HeaderList? Headers, MimeMessage? Message) Original(MultipartReport report)
    {
        foreach (var part in report.Skip(1))
        {
            // MimeKit reads text/rfc822-headers as a message part too: a header without a body, not the message.
            if (part is TextRfc822Headers { Message: { } headersOnly })
            {
                return (headersOnly.Headers, null);
            }
            if (part is MessagePart { Message: { } message })
            {
                return (message.Headers, message);
            }
            if (part is TextPart text && part.ContentType.IsMimeType("text", "rfc822-headers"))
            {
                try
                {
                    using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.Text));
                    return (HeaderList.Load(stream), null);
                }
                catch (FormatException)
                {
                    return (null, null);
                }
            }
        }
        return (null, null);
    }

    private static string HumanReadable(MultipartReport report)
    {
        var text = report.Count > 0 && report[0] is TextPart { IsAttachment: false } part ? part.Text ?? "" : "";
        return text.Length <= MaxValueLength ? text : text[..MaxValueLength];
    }

    private static AuthFailureFields AuthFailureOf(List<KeyValuePair<string, string>> fields) => new(
        First(fields, "Auth-Failure"), First(fields, "Delivery-Result"), First(fields, "DKIM-Domain"), First(fields, "DKIM-Identity"),
        First(fields, "DKIM-Selector"), First(fields, "DKIM-Canonicalized-Header"), First(fields, "DKIM-Canonicalized-Body"),
        First(fields, "SPF-DNS"), First(fields, "Identity-Alignment"));

    private static FeedbackType TypeOf(string name) => name switch
    {
        "abuse" => FeedbackType.Abuse,
        "fraud" => FeedbackType.Fraud,
        "virus" => FeedbackType.Virus,
        "other" => FeedbackType.Other,
        "not-spam" => FeedbackType.NotSpam,
        "auth-failure" => FeedbackType.AuthFailure,
        _ => FeedbackType.Unknown,
    };

    private static string? First(List<KeyValuePair<string, string>> fields, string name) =>
        fields.FirstOrDefault(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } value ? value : null;

    private static List<string> All(List<KeyValuePair<string, string>> fields, string name) =>
        fields.Where(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase) && f.Value.Length > 0).Select(f => f.Value).ToList();

    /// <summary><c>&lt;a@b&gt;</c> or <c>a@b</c> → <c>a@b</c>; an empty path (<c>&lt;&gt;</c>) → null.</summary>
    private static string? Address(string? value)
    {
        var trimmed = value?.Trim().Trim('<', '>').Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    /// <summary>Unfolded, trimmed and bounded.</summary>
    private static string Clean(string value)
    {
        var unfolded = string.Join(' ', value.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim())).Trim();
        return unfolded.Length <= MaxValueLength ? unfolded : unfolded[..MaxValueLength];
    }
}
