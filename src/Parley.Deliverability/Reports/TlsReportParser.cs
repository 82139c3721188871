using System.Globalization;
using System.Text.Json;

namespace Parley.Deliverability.Reports;

/// <summary>Reads an SMTP TLS report (RFC 8460 §4.4): JSON with the report's organization, id, date range and policies.</summary>
public static class TlsReportParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <exception cref="ReportFormatException">Not a valid TLS report; the message says why.</exception>
    public static TlsReport Parse(ReadOnlyMemory<byte> bytes)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException e)
        {
            throw new ReportFormatException($"The TLS report is not valid JSON: {e.Message}");
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (InvalidOperationException e)
            {
                // A string that is not valid UTF-8 fails only when it is read.
                throw new ReportFormatException($"The TLS report is not valid JSON: {e.Message}");
            }
        }
    }

    private static TlsReport Read(JsonElement root)
    {
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ReportFormatException("The TLS report is not a JSON object.");
            }

            var org = String(root, "organization-name") ?? throw Missing("organization-name");
            var id = String(root, "report-id") ?? throw Missing("report-id");
            if (!root.TryGetProperty("date-range", out var range) || range.ValueKind != JsonValueKind.Object)
            {
                throw Missing("date-range");
            }

            var start = Time(range, "start-datetime");
            var end = Time(range, "end-datetime");
            if (!root.TryGetProperty("policies", out var policies) || policies.ValueKind != JsonValueKind.Array)
            {
                throw Missing("policies");
            }

            var read = new List<TlsReportPolicy>();
            var index = 0;
            foreach (var policy in policies.EnumerateArray())
            {
                read.Add(ParsePolicy(policy, ++index));
            }

            return new TlsReport(org, id, start, end, String(root, "contact-info"), read);
        }
    }

    private static TlsReportPolicy ParsePolicy(JsonElement entry, int index)
    {
        var where = $"policy {index}";
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("policy", out var policy) || policy.ValueKind != JsonValueKind.Object)
        {
            throw new ReportFormatException($"The TLS report's {where} has no \"policy\" object.");
        }

        var type = String(policy, "policy-type") ?? throw new ReportFormatException($"The TLS report's {where} has no \"policy-type\".");
        var domain = String(policy, "policy-domain") ?? throw new ReportFormatException($"The TLS report's {where} has no \"policy-domain\".");
        var mx = policy.TryGetProperty("mx-host", out var hosts)
            ? hosts.ValueKind == JsonValueKind.Array ? hosts.EnumerateArray().Where(h => h.ValueKind == JsonValueKind.String).Select(h => h.GetString()!).ToArray()
                : hosts.ValueKind == JsonValueKind.String ? [hosts.GetString()!] : []
            : [];
        if (!entry.TryGetProperty("summary", out var summary) || summary.ValueKind != JsonValueKind.Object)
        {
            throw new ReportFormatException($"The TLS report's {where} has no \"summary\".");
        }

        var successful = Count(summary, "total-successful-session-count", where);
        var failed = Count(summary, "total-failure-session-count", where);
        var failures = new List<TlsFailureDetail>();
        if (entry.TryGetProperty("failure-details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            foreach (var detail in details.EnumerateArray())
            {
                var resultType = String(detail, "result-type") ?? throw new ReportFormatException($"A failure detail of the TLS report's {where} has no \"result-type\".");
                failures.Add(new TlsFailureDetail(resultType, String(detail, "sending-mta-ip"), String(detail, "receiving-mx-hostname")?.TrimEnd('.').ToLowerInvariant(),
                    String(detail, "receiving-ip"), Count(detail, "failed-session-count", where), String(detail, "failure-reason-code")));
            }
        }

        return new TlsReportPolicy(type, domain.TrimEnd('.').ToLowerInvariant(), mx, successful, failed, failures);
    }

    private static ReportFormatException Missing(string name) => new($"The TLS report has no \"{name}\".");

    private static string? String(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim() is { Length: > 0 } text
            ? text
            : null;

    private static long Count(JsonElement parent, string name, string where) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 0
            ? count
            : throw new ReportFormatException($"The TLS report's {where} has no whole number \"{name}\".");

    private static DateTimeOffset Time(JsonElement range, string name) =>
        String(range, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new ReportFormatException($"The TLS report's \"date-range\" has no RFC 3339 \"{name}\".");
}
