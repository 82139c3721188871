using MimeKit;
using MimeKit.Utils;

namespace Parley.Core.SpamTest;

/// <summary>
/// Format: the header fields RFC 5322 requires once (Date, From, Message-ID), MIME-Version, the structure and its
/// encodings, a text alternative for HTML, charsets, size, line lengths and header encoding — what
/// <see cref="MessageUnderTest"/> measured, whatever the input.
/// </summary>
public static class FormatChecks
{
    // Legacy charsets (windows-1252, iso-2022-jp…) are valid names too; .NET knows them only through this provider.
    static FormatChecks() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    public static SpamSection Section(MessageUnderTest message, TimeProvider clock)
    {
        var headers = message.Message.Headers;
        var checks = new List<SpamCheck>();
        if (!message.HasHeaderSection)
        {
            checks.Add(new SpamCheck("format.headers", "Header section", CheckResult.Fail, 2, "The message has no header section: it starts with its body.",
                new CheckFix("Send a complete message: header fields (From, To, Subject, Date, Message-ID), a blank line, then the body.")));
        }
        else
        {
            checks.Add(SpamCheck.Pass("format.headers", "Header section", 2, $"{headers.Count} header fields, {message.HeaderBytes:N0} bytes."));
        }

        checks.Add(Date(headers, clock));
        checks.Add(MessageId(headers));
        checks.Add(From(message));
        checks.Add(message.Message.Subject is { Length: > 0 }
            ? SpamCheck.Pass("format.subject", "Subject", 0.5, "Present.")
            : new SpamCheck("format.subject", "Subject", CheckResult.Fail, 0.5, "The message has no subject.", new CheckFix("Give the message a subject that says what it is about.")));
        checks.Add(MimeVersion(message));
        checks.Add(Structure(message));
        checks.Add(TextAlternative(message));
        checks.Add(Charsets(message));
        checks.Add(Size(message));
        checks.Add(message.LongLines > 0
            ? new SpamCheck("format.line-length", "Line lengths", CheckResult.Fail, 0.3, $"{message.LongLines} line{(message.LongLines == 1 ? " is" : "s are")} longer than 998 bytes (longest {message.LongestLine:N0}), which RFC 5322 forbids; servers break them.",
                new CheckFix("Encode long HTML lines with quoted-printable or base64."))
            : SpamCheck.Pass("format.line-length", "Line lengths", 0.3, $"The longest line has {message.LongestLine} bytes."));
        checks.Add(HeaderEncoding(message));
        checks.Add(message.NulBytes > 0
            ? new SpamCheck("format.nul", "NUL bytes", CheckResult.Fail, 1, $"The message holds {message.NulBytes} NUL byte{(message.NulBytes == 1 ? "" : "s")}; many servers reject it.", new CheckFix("Encode binary content with base64."))
            : SpamCheck.Pass("format.nul", "NUL bytes", 1, "None."));
        checks.Add(Recipients(message));
        return new SpamSection("format", "Format", checks);
    }

    private static SpamCheck Date(HeaderList headers, TimeProvider clock)
    {
        var dates = headers.Where(h => h.Id == HeaderId.Date).ToList();
        if (dates.Count != 1)
        {
            return new SpamCheck("format.date", "Date", CheckResult.Fail, 0.5, dates.Count == 0 ? "No Date header." : $"{dates.Count} Date headers; RFC 5322 allows one.", new CheckFix("Send exactly one Date header, in RFC 5322 form."));
        }

        if (!DateUtils.TryParse(dates[0].Value, out var date))
        {
            return new SpamCheck("format.date", "Date", CheckResult.Fail, 0.5, $"\"{Cut(dates[0].Value)}\" is not an RFC 5322 date.", new CheckFix("Write the date as \"Thu, 3 Dec 2026 17:36:00 +0000\"."));
        }

        var now = clock.GetUtcNow();
        return date > now.AddHours(6) ? new SpamCheck("format.date", "Date", CheckResult.Warn, 0.5, $"{date:u} is in the future.", new CheckFix("Set the sending machine's clock right."))
            : date < now.AddDays(-7) ? new SpamCheck("format.date", "Date", CheckResult.Warn, 0.5, $"{date:u} is more than a week old.", new CheckFix("Set the Date when the message is sent."))
            : SpamCheck.Pass("format.date", "Date", 0.5, $"{date:u}.");
    }

    private static SpamCheck MessageId(HeaderList headers)
    {
        var ids = headers.Where(h => h.Id == HeaderId.MessageId).ToList();
        if (ids.Count != 1)
        {
            return new SpamCheck("format.message-id", "Message-ID", CheckResult.Fail, 0.5, ids.Count == 0 ? "No Message-ID header." : $"{ids.Count} Message-ID headers.", new CheckFix("Send exactly one Message-ID, as <unique@your-domain>."));
        }

        var value = ids[0].Value.Trim();
        return value.StartsWith('<') && value.EndsWith('>') && value.IndexOf('@') > 1 && !value.Contains(' ')
            ? SpamCheck.Pass("format.message-id", "Message-ID", 0.5, Cut(value))
            : new SpamCheck("format.message-id", "Message-ID", CheckResult.Fail, 0.5, $"\"{Cut(value)}\" is not <unique@domain>.", new CheckFix("Send the Message-ID as <unique@your-domain>."));
    }

    private static SpamCheck From(MessageUnderTest message)
    {
        var froms = message.Message.Headers.Count(h => h.Id == HeaderId.From);
        var mailboxes = message.Message.From.Mailboxes.ToList();
        if (froms != 1 || mailboxes.Count != 1)
        {
            return new SpamCheck("format.from", "From", CheckResult.Fail, 1, froms == 0 ? "No From header." : froms > 1 ? $"{froms} From headers." : $"The From names {mailboxes.Count} mailboxes; it should name one.",
                new CheckFix("Send exactly one From header with one address."));
        }

        var address = mailboxes[0].Address;
        return address.IndexOf('@') > 0 && mailboxes[0].Domain.Contains('.')
            ? SpamCheck.Pass("format.from", "From", 1, Cut(mailboxes[0].ToString()))
            : new SpamCheck("format.from", "From", CheckResult.Fail, 1, $"\"{Cut(address)}\" is not an address on a domain.", new CheckFix("Send From an address on your own domain."));
    }

    private static SpamCheck MimeVersion(MessageUnderTest message)
    {
        var needed = message.Message.Headers.Contains(HeaderId.ContentType) || message.Message.Body is Multipart;
        return !needed || message.Message.Headers.Contains(HeaderId.MimeVersion)
            ? SpamCheck.Pass("format.mime-version", "MIME-Version", 0.3, needed ? "MIME-Version: 1.0." : "A plain message; none needed.")
            : new SpamCheck("format.mime-version", "MIME-Version", CheckResult.Fail, 0.3, "The message uses MIME but has no MIME-Version header.", new CheckFix("Add \"MIME-Version: 1.0\"."));
    }

    private static SpamCheck Structure(MessageUnderTest message)
    {
        var problems = new List<string>(message.Problems);
        if (message.MaxDepthSeen > 5)
        {
            problems.Add($"MIME parts are nested {message.MaxDepthSeen} levels deep");
        }

        if (message.OversizedHeaders.Count > 0)
        {
            problems.Add($"header field{(message.OversizedHeaders.Count == 1 ? "" : "s")} {string.Join(", ", message.OversizedHeaders.Distinct().Take(5))} over {MessageUnderTest.MaxHeaderField / 1024} KB (not read)");
        }

        return problems.Count > 0
            ? new SpamCheck("format.structure", "MIME structure and encoding", CheckResult.Fail, 1, string.Join("; ", problems.Select(p => p.TrimEnd('.'))) + ".",
                new CheckFix("Send a simple structure (multipart/alternative with text and HTML, attachments in multipart/mixed) with valid encodings."))
            : SpamCheck.Pass("format.structure", "MIME structure and encoding", 1, $"{message.Parts.Count} part{(message.Parts.Count == 1 ? "" : "s")}, nested {message.MaxDepthSeen} deep, encodings valid.");
    }

    private static SpamCheck TextAlternative(MessageUnderTest message) =>
        message.Html is null ? SpamCheck.Pass("format.text-alternative", "Text alternative to HTML", 1, "A text-only message.")
        : message.HasTextPart && message.Text.Trim().Length > 0 ? SpamCheck.Pass("format.text-alternative", "Text alternative to HTML", 1, "The HTML has a text/plain alternative.")
        : new SpamCheck("format.text-alternative", "Text alternative to HTML", CheckResult.Fail, 1, "HTML only, with no text/plain alternative.",
            new CheckFix("Send multipart/alternative with a text part that says what the HTML says (Parley's templates do)."));

    private static SpamCheck Charsets(MessageUnderTest message)
    {
        var problems = new List<string>();
        foreach (var part in message.Parts.Where(p => !p.IsAttachment && p.ContentType.StartsWith("text/", StringComparison.Ordinal)))
        {
            if (part.Charset is null)
            {
                continue;
            }

            try
            {
                _ = System.Text.Encoding.GetEncoding(part.Charset);
            }
            catch (ArgumentException)
            {
                problems.Add($"{part.ContentType} declares the unknown charset \"{Cut(part.Charset)}\"");
            }
        }

        var undeclared = message.Parts.Any(p => !p.IsAttachment && p.ContentType.StartsWith("text/", StringComparison.Ordinal) && p.Charset is null && p.TransferEncoding is "8bit" or "base64" or "quoted-printable");
        if (undeclared)
        {
            problems.Add("a text part with encoded or 8-bit content declares no charset");
        }

        return problems.Count > 0
            ? new SpamCheck("format.charset", "Charsets", CheckResult.Fail, 0.3, string.Join("; ", problems) + ".", new CheckFix("Declare charset=utf-8 on every text part."))
            : SpamCheck.Pass("format.charset", "Charsets", 0.3, "Every text part's charset is declared and known (or it is plain ASCII).");
    }

    private static SpamCheck Size(MessageUnderTest message)
    {
        var size = message.Raw.Length;
        var html = message.Html?.Length ?? 0;
        return size > 10 * 1024 * 1024 ? new SpamCheck("format.size", "Size", CheckResult.Fail, 0.5, $"{size / (1024.0 * 1024):N1} MB; many servers refuse more than 10 MB.", new CheckFix("Link to large files instead of attaching them."))
            : html > 102 * 1024 ? new SpamCheck("format.size", "Size", CheckResult.Warn, 0.5, $"The HTML is {html / 1024} KB; Gmail clips messages over 102 KB, hiding the rest (and the unsubscribe link).", new CheckFix("Keep the HTML under 100 KB."))
            : SpamCheck.Pass("format.size", "Size", 0.5, $"{size / 1024.0:N1} KB.");
    }

    private static SpamCheck HeaderEncoding(MessageUnderTest message) =>
        message.EightBitHeaderBytes > 0
            ? new SpamCheck("format.header-encoding", "Header encoding", CheckResult.Fail, 0.5, $"{message.EightBitHeaderBytes} raw 8-bit byte{(message.EightBitHeaderBytes == 1 ? "" : "s")} in the header; without SMTPUTF8 they must be encoded (RFC 2047).",
                new CheckFix("Encode non-ASCII header text as =?utf-8?...?= (mail libraries do)."))
            : SpamCheck.Pass("format.header-encoding", "Header encoding", 0.5, "The header is 7-bit.");

    private static SpamCheck Recipients(MessageUnderTest message)
    {
        var oversized = message.OversizedHeaders.Any(h => h.Equals("To", StringComparison.OrdinalIgnoreCase) || h.Equals("Cc", StringComparison.OrdinalIgnoreCase));
        var count = oversized ? int.MaxValue : message.Message.To.Count + message.Message.Cc.Count;
        return count > 50
            ? new SpamCheck("format.recipients", "Visible recipients", CheckResult.Fail, 0.5, oversized ? "The To or Cc header is too large to read: it lists a very large number of recipients." : $"{count} addresses in To and Cc.",
                new CheckFix("Send one message per recipient (a mailing), never a long visible recipient list."))
            : SpamCheck.Pass("format.recipients", "Visible recipients", 0.5, $"{count} address{(count == 1 ? "" : "es")} in To and Cc.");
    }

    private static string Cut(string value) => value.Length > 100 ? value[..100] + "…" : value;
}
