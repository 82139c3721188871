using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Unicode;
using System.Xml;
using System.Xml.Linq;

namespace Parley.Deliverability.Reports;

/// <summary>
/// Reads a DMARC aggregate report: RFC 7489 appendix C, the drafts before it (no version element) and RFC 9990 (its
/// namespace). Elements are matched by local name, so namespaces and the order of siblings do not matter. The XML reader
/// never processes a DTD (a document with one is refused before any entity expands) nor resolves anything external.
/// Enumerated values (disposition, results) must be as the schema spells them, in lower case.
/// </summary>
public static class DmarcAggregateParser
{
    private const string Rfc9990Namespace = "urn:ietf:params:xml:ns:dmarc-2.0";
    private static readonly string[] Dispositions = ["none", "quarantine", "reject", "pass"];
    private static readonly string[] DmarcResults = ["pass", "fail"];
    private static readonly string[] DkimResults = ["none", "pass", "fail", "policy", "neutral", "temperror", "permerror"];
    private static readonly string[] SpfResults = ["none", "neutral", "pass", "fail", "softfail", "temperror", "permerror", "hardfail"];

    /// <exception cref="ReportFormatException">Not a valid aggregate report; the message says why.</exception>
    public static DmarcAggregateReport Parse(ReadOnlySpan<byte> bytes, ReportLimits? limits = null)
    {
        limits ??= ReportLimits.Default;
        var warnings = new List<string>();
        var document = Load(bytes, warnings);
        var root = document.Root!;
        if (root.Name.LocalName != "feedback")
        {
            throw new ReportFormatException($"The XML's root element is <{root.Name.LocalName}>, not <feedback>: this is not a DMARC aggregate report.");
        }

        var schema = root.Name.NamespaceName == Rfc9990Namespace ? DmarcReportSchema.Rfc9990
            : Child(root, "version") is not null ? DmarcReportSchema.Rfc7489 : DmarcReportSchema.Draft;
        var metadata = Required(root, "report_metadata", "<feedback>");
        var email = Text(metadata, "email");
        var org = Text(metadata, "org_name");
        if (org is null)
        {
            // Some reporters leave org_name empty; the domain of their address names them as well.
            org = email is { } e && e.LastIndexOf('@') is var at and > 0 && at < e.Length - 1 ? e[(at + 1)..].ToLowerInvariant() : null;
            if (org is null)
            {
                throw new ReportFormatException("The report has no <org_name> and no <email> in <report_metadata>: it cannot be told apart from other reports.");
            }

            warnings.Add($"<org_name> is empty; the reporter is named after its address ({org}).");
        }

        var reportId = Text(metadata, "report_id") ?? throw new ReportFormatException("The report has no <report_id> in <report_metadata>.");
        var range = Required(metadata, "date_range", "<report_metadata>");
        var begin = UnixTime(range, "begin");
        var end = UnixTime(range, "end");
        var published = Required(root, "policy_published", "<feedback>");
        var domain = Text(published, "domain") ?? throw new ReportFormatException("The report has no <domain> in <policy_published>.");
        var percent = Text(published, "pct") is { } pct && int.TryParse(pct, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : (int?)null;
        var policy = new DmarcPublishedPolicy(domain.TrimEnd('.').ToLowerInvariant(), Text(published, "p"), Text(published, "sp"),
            Text(published, "adkim"), Text(published, "aspf"), percent, Text(published, "testing") == "y");

        var records = new List<DmarcReportRecord>();
        var index = 0;
        foreach (var record in Children(root, "record"))
        {
            index++;
            if (records.Count == limits.MaxRows)
            {
                throw new ReportFormatException($"The report has more than {limits.MaxRows:N0} records, more than Parley reads from one report.");
            }

            records.Add(ParseRecord(record, index));
        }

        if (records.Count == 0)
        {
            warnings.Add("The report has no <record>.");
        }

        return new DmarcAggregateReport(schema, org, email, reportId, begin, end, policy, records, warnings);
    }

    private static XDocument Load(ReadOnlySpan<byte> bytes, List<string> warnings)
    {
        var text = Decode(bytes, warnings);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            return XDocument.Load(reader);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            throw new ReportFormatException("The XML declares a DTD (<!DOCTYPE …>). Reports never need one, and Parley never processes one (entities could expand without end or read local files): refused.");
        }
        catch (XmlException e)
        {
            throw new ReportFormatException($"The report is not well-formed XML: {e.Message}");
        }
    }

    /// <summary>
    /// UTF-8 unless the declaration names another encoding. Invalid UTF-8 bytes become U+FFFD with a warning: receivers
    /// send such reports (a mangled header From), and the rest of the report is still good.
    /// </summary>
    private static string Decode(ReadOnlySpan<byte> bytes, List<string> warnings)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        var head = Encoding.ASCII.GetString(bytes[..Math.Min(bytes.Length, 200)]);
        var declared = DeclaredEncoding(head);
        if (declared is not null && !declared.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !declared.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return Encoding.GetEncoding(declared).GetString(bytes);
            }
            catch (ArgumentException)
            {
                throw new ReportFormatException($"The XML declares the encoding \"{declared}\", which Parley does not know.");
            }
        }

        if (!Utf8.IsValid(bytes))
        {
            var offset = FirstInvalidUtf8(bytes);
            warnings.Add($"The report is not valid UTF-8 (first bad byte at offset {offset}); the bad bytes were replaced by \uFFFD.");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static string? DeclaredEncoding(string head)
    {
        if (!head.StartsWith("<?xml", StringComparison.Ordinal))
        {
            return null;
        }

        var at = head.IndexOf("encoding", StringComparison.Ordinal);
        var close = head.IndexOf("?>", StringComparison.Ordinal);
        if (at < 0 || (close >= 0 && at > close))
        {
            return null;
        }

        var quote = head.IndexOfAny(['"', '\''], at);
        var endQuote = quote < 0 ? -1 : head.IndexOf(head[quote], quote + 1);
        return endQuote > quote ? head[(quote + 1)..endQuote].Trim() : null;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        Span<char> buffer = stackalloc char[256];
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = Utf8.ToUtf16(bytes[offset..], buffer, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                return offset + read;
            }

            offset += read;
            if (status == System.Buffers.OperationStatus.Done)
            {
                break;
            }
        }

        return offset;
    }

    private static DmarcReportRecord ParseRecord(XElement record, int index)
    {
        var where = $"record {index}";
        var row = Required(record, "row", where);
        var ipText = Text(row, "source_ip") ?? throw new ReportFormatException($"The report's {where} has no <source_ip>.");
        if (!IPAddress.TryParse(ipText, out var ip))
        {
            throw new ReportFormatException($"The report's {where} has the <source_ip> \"{ipText}\", which is not an IP address.");
        }

        var countText = Text(row, "count") ?? throw new ReportFormatException($"The report's {where} has no <count>.");
        if (!long.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new ReportFormatException($"The report's {where} has the <count> \"{countText}\", which is not a whole number.");
        }

        var evaluated = Required(row, "policy_evaluated", where);
        var disposition = Enumerated(evaluated, "disposition", Dispositions, where) ?? throw new ReportFormatException($"The report's {where} has no <disposition>.");
        var dkimAligned = Enumerated(evaluated, "dkim", DmarcResults, where) == "pass";
        var spfAligned = Enumerated(evaluated, "spf", DmarcResults, where) == "pass";
        var reasons = Children(evaluated, "reason")
            .Select(r => (Type: Text(r, "type"), Comment: Text(r, "comment")))
            .Where(r => r.Type is not null)
            .Select(r => r.Comment is null ? r.Type! : $"{r.Type}: {r.Comment}")
            .ToArray();

        var identifiers = Required(record, "identifiers", where);
        var headerFrom = Text(identifiers, "header_from") ?? throw new ReportFormatException($"The report's {where} has no <header_from>.");
        var auth = Child(record, "auth_results");
        var dkim = auth is null ? [] : Children(auth, "dkim")
            .Select(d => new DmarcDkimAuth(Text(d, "domain")?.ToLowerInvariant() ?? "", Text(d, "selector"), Enumerated(d, "result", DkimResults, where) ?? "none"))
            .ToArray();
        var spf = auth is null ? [] : Children(auth, "spf")
            .Select(s => new DmarcSpfAuth(Text(s, "domain")?.ToLowerInvariant() ?? "", Text(s, "scope"), Enumerated(s, "result", SpfResults, where) ?? "none"))
            .ToArray();
        return new DmarcReportRecord(ip, count, disposition, dkimAligned, spfAligned, reasons, headerFrom.TrimEnd('.').ToLowerInvariant(),
            Text(identifiers, "envelope_from")?.ToLowerInvariant(), Text(identifiers, "envelope_to")?.ToLowerInvariant(), dkim, spf);
    }

    private static string? Enumerated(XElement parent, string name, string[] allowed, string where)
    {
        if (Text(parent, name) is not { } value)
        {
            return null;
        }

        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            throw new ReportFormatException($"The report's {where} has <{name}>{value}</{name}>; the schema allows {string.Join(", ", allowed)} (in lower case).");
        }

        return value;
    }

    private static DateTimeOffset UnixTime(XElement range, string name)
    {
        var text = Text(range, name) ?? throw new ReportFormatException($"The report has no <{name}> in <date_range>.");
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 253_402_300_799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new ReportFormatException($"The report's <date_range> has <{name}>{text}</{name}>, which is not a time in seconds since 1970.");
    }

    private static XElement Required(XElement parent, string name, string where) =>
        Child(parent, name) ?? throw new ReportFormatException($"The report has no <{name}> in {where}.");

    private static XElement? Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static IEnumerable<XElement> Children(XElement parent, string name) => parent.Elements().Where(e => e.Name.LocalName == name);

    /// <summary>The trimmed text of a child element; null when it is missing or empty.</summary>
    private static string? Text(XElement parent, string name) =>
        Child(parent, name)?.Value.Trim() is { Length: > 0 } value ? value : null;
}
