using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Parley.Deliverability.Doctor;

/// <summary>
/// The stable JSON shape of a report (the CLI's --json, the API): {domain, checkedAt, findings: [{id,
/// area, severity, title, detail, fix?: {type, name, value, strings?}}]}. "strings" appears only when a
/// TXT value must be published as several 255-octet strings.
/// </summary>
public static class DoctorReportJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(DoctorReport report, bool indented = true)
    {
        using var stream = new MemoryStream();
        Write(report, stream, indented);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(DoctorReport report, Stream stream, bool indented = true)
    {
        using var writer = new Utf8JsonWriter(stream, indented ? Indented : Compact);
        writer.WriteStartObject();
        writer.WriteString("domain", report.Domain);
        writer.WriteString("checkedAt", report.CheckedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteStartArray("findings");
        foreach (var finding in report.Findings)
        {
            writer.WriteStartObject();
            writer.WriteString("id", finding.Id);
            writer.WriteString("area", finding.AreaOf());
            writer.WriteString("severity", SeverityToken(finding.Severity));
            writer.WriteString("title", finding.Title);
            writer.WriteString("detail", finding.Detail);
            if (finding.Fix is { } fix)
            {
                writer.WriteStartObject("fix");
                writer.WriteString("type", fix.Type);
                writer.WriteString("name", fix.Name);
                writer.WriteString("value", fix.Value);
                if (fix.Strings.Count > 1)
                {
                    writer.WriteStartArray("strings");
                    foreach (var s in fix.Strings)
                    {
                        writer.WriteStringValue(s);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static string SeverityToken(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Pass => "pass",
        FindingSeverity.Info => "info",
        FindingSeverity.Warn => "warn",
        _ => "fail",
    };
}
