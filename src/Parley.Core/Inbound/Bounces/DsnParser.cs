using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace Parley.Core.Inbound.Bounces;

/// <summary>
/// Reads delivery status notifications: RFC 3464 <c>multipart/report; report-type=delivery-status</c>
/// (Postfix, Exim, Exchange, Gmail — with the original as <c>message/rfc822</c> or only its headers as
/// <c>text/rfc822-headers</c>, with or without Final-Recipient), and, as a fallback, plain-text bounces
/// that state an enhanced status code. Never throws: what it cannot read is simply not there.
/// </summary>
public static partial class DsnParser
{
    /// <summary>A report when the message is a DSN or looks like a bounce; null for anything else.</summary>
    public static DeliveryReport? Parse(MimeMessage message)
    {
        var report = FindReport(message.Body);
        if (report is not null)
        {
            return ParseStandard(report);
        }

        return LooksLikeBounce(message) ? ParseText(message) : null;
    }

    /// <summary>From MAILER-DAEMON/postmaster, or a null envelope sender with a bounce-like subject.</summary>
    public static bool LooksLikeBounce(MimeMessage message)
    {
        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? "";
        var local = from.Split('@')[0].ToLowerInvariant();
        if (local is "mailer-daemon" or "postmaster" or "mail-daemon")
        {
            return true;
        }

        var subject = message.Subject ?? "";
        return BounceSubject().IsMatch(subject);
    }

    private static MultipartReport? FindReport(MimeEntity? entity) => entity switch
    {
        MultipartReport r when string.Equals(r.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase)
            || r.OfType<MessageDeliveryStatus>().Any() => r,
        Multipart m => m.Select(FindReport).FirstOrDefault(r => r is not null),
        _ => null,
    };

    private static DeliveryReport ParseStandard(MultipartReport report)
    {
        var recipients = new List<DsnRecipient>();
        if (report.OfType<MessageDeliveryStatus>().FirstOrDefault() is { } status)
        {
            // The first group is per-message; each following group is one recipient.
            foreach (var group in status.StatusGroups.Skip(1))
            {
                var address = StripType(group["Final-Recipient"]) ?? StripType(group["Original-Recipient"]) ?? StripType(group["X-Actual-Recipient"]);
                var action = (group["Action"] ?? "").Trim().ToLowerInvariant();
                var code = CleanStatus(group["Status"]);
                var diagnostic = Unfold(StripType(group["Diagnostic-Code"]));
                code ??= diagnostic is null ? null : FindStatus(diagnostic);
                recipients.Add(new DsnRecipient(address, action, code, diagnostic));
            }
        }
        var (messageId, originalTo) = Original(report);
        if (recipients.Count == 0)
        {
            // A report with no readable per-recipient fields: read the human part for a code.
            var text = string.Join("\n", report.OfType<TextPart>().Where(p => !p.IsAttachment).Select(p => p.Text));
            recipients.Add(new DsnRecipient(FirstAddress(text), "failed", FindStatus(text), FirstDiagnosticLine(text)));
        }
        return new DeliveryReport(true, recipients, messageId, originalTo);
    }

    private static DeliveryReport ParseText(MimeMessage message)
    {
        var text = message.TextBody ?? (message.HtmlBody is { } html ? Common.HtmlText.ToPlainText(html) : "");
        var status = FindStatus(text);
        var recipient = new DsnRecipient(FirstAddress(text), "failed", status, FirstDiagnosticLine(text));
        string? messageId = null;
        IReadOnlyList<string> originalTo = [];
        foreach (var part in message.BodyParts)
        {
            if (part is MessagePart { Message: { } inner })
            {
                messageId = inner.MessageId;
                originalTo = inner.To.Mailboxes.Select(m => m.Address).ToList();
                break;
            }
        }
        messageId ??= EmbeddedMessageId().Match(text) is { Success: true } m ? m.Groups[1].Value : null;
        return new DeliveryReport(false, [recipient], messageId, originalTo);
    }

    private static (string? MessageId, IReadOnlyList<string> To) Original(MultipartReport report)
    {
        foreach (var part in report.Skip(1))
        {
            if (part is MessagePart { Message: { } inner })
            {
                return (inner.MessageId, inner.To.Mailboxes.Select(m => m.Address).ToList());
            }

            if (part is MimePart mime && mime.ContentType.IsMimeType("text", "rfc822-headers") && mime.Content is not null)
            {
                using var stream = new MemoryStream();
                mime.Content.DecodeTo(stream);
                stream.Position = 0;
                try
                {
                    var headers = HeaderList.Load(stream);
                    var id = headers[HeaderId.MessageId] is { } raw ? MimeKit.Utils.MimeUtils.EnumerateReferences(raw).FirstOrDefault() : null;
                    var to = headers[HeaderId.To] is { } toText && InternetAddressList.TryParse(toText, out var list)
                        ? list.Mailboxes.Select(m => m.Address).ToList() : [];
                    return (id, to);
                }
                catch (FormatException)
                {
                    return (null, []);
                }
            }
        }
        return (null, []);
    }

    private static string? StripType(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var semi = value.IndexOf(';');
        var result = (semi >= 0 ? value[(semi + 1)..] : value).Trim().Trim('<', '>');
        return result.Length == 0 ? null : result;
    }

    private static string? CleanStatus(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var match = StatusCode().Match(value);
        return match.Success ? match.Value : null;
    }

    private static string? Unfold(string? value) =>
        value is null ? null : Whitespace().Replace(value, " ").Trim() is { Length: > 0 } s ? (s.Length > 1000 ? s[..1000] : s) : null;

    private static string? FindStatus(string text) => StatusCode().Match(text) is { Success: true } m ? m.Value : BasicCode().Match(text) switch
    {
        { Success: true } b => b.Groups[1].Value[0] + ".0.0",
        _ => null,
    };

    private static string? FirstAddress(string text) => BracketedAddress().Match(text) is { Success: true } m ? m.Groups[1].Value
        : IndentedAddress().Match(text) is { Success: true } i ? i.Groups[1].Value : null;

    private static string? FirstDiagnosticLine(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (BasicCode().IsMatch(trimmed) || StatusCode().IsMatch(trimmed))
            {
                return trimmed.Length > 500 ? trimmed[..500] : trimmed;
            }
        }
        return null;
    }

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex StatusCode();

    [GeneratedRegex(@"(?:^|\s)([45]\d\d)[\s-]")]
    private static partial Regex BasicCode();

    [GeneratedRegex(@"<([^<>@\s]+@[^<>@\s]+)>")]
    private static partial Regex BracketedAddress();

    [GeneratedRegex(@"(?m)^\s+([^\s@<>]+@[^\s@<>]+?)\s*$")]
    private static partial Regex IndentedAddress();

    [GeneratedRegex(@"(?im)^Message-ID:\s*<([^>]+)>")]
    private static partial Regex EmbeddedMessageId();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?i)undeliver|delivery (status notification|has failed|failure)|returned mail|failure notice|mail delivery failed|could not be delivered|non-?delivery")]
    private static partial Regex BounceSubject();
}
