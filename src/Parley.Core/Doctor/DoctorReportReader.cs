using System.Globalization;
using System.Text.Json;
using Parley.Deliverability.Doctor;

namespace Parley.Core.Doctor;

/// <summary>Reads a report back from the JSON <see cref="DoctorReportJson"/> writes (stored in <see cref="DoctorRun"/>).</summary>
public static class DoctorReportReader
{
    /// <summary>The report, or null when the text is not a report (an unreadable row is treated as "no previous run").</summary>
    public static DoctorReport? TryRead(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var domain = root.GetProperty("domain").GetString() ?? "";
            var checkedAt = DateTimeOffset.Parse(root.GetProperty("checkedAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var findings = new List<Finding>();
            foreach (var f in root.GetProperty("findings").EnumerateArray())
            {
                DnsFix? fix = null;
                if (f.TryGetProperty("fix", out var x) && x.ValueKind == JsonValueKind.Object)
                {
                    fix = new DnsFix(x.GetProperty("type").GetString()!, x.GetProperty("name").GetString()!, x.GetProperty("value").GetString()!);
                }

                findings.Add(new Finding(
                    f.GetProperty("id").GetString()!,
                    ParseSeverity(f.GetProperty("severity").GetString()),
                    f.GetProperty("title").GetString() ?? "",
                    f.GetProperty("detail").GetString() ?? "",
                    fix));
            }
            return new DoctorReport(domain, checkedAt, findings);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    public static FindingSeverity ParseSeverity(string? token) => token switch
    {
        "pass" => FindingSeverity.Pass,
        "info" => FindingSeverity.Info,
        "warn" => FindingSeverity.Warn,
        _ => FindingSeverity.Fail,
    };
}
