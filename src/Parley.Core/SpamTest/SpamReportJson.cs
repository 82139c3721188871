using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Core.SpamTest;

/// <summary>
/// The report as JSON: how it is stored with the test, what <c>parley score --json</c> prints, and the sections part of
/// GET /api/v1/spam-tests/{id}. Results are "pass", "fail", "warn" or "info"; a section's <c>score</c> is the points it
/// takes off (0 or negative).
/// </summary>
public static class SpamReportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(SpamReport report, bool indented = false) =>
        JsonSerializer.Serialize(report, indented ? new JsonSerializerOptions(Options) { WriteIndented = true } : Options);

    public static SpamReport? Deserialize(string? json) => json is null ? null : JsonSerializer.Deserialize<SpamReport>(json, Options);

    /// <summary>The sections as the API shows them: {id, title, score, checks: [{id, title, result, points, lost, detail, fix?}]}.</summary>
    public static IEnumerable<object> Sections(SpamReport report) => report.Sections.Select(s => new
    {
        s.Id,
        s.Title,
        Score = -Math.Round(s.Lost, 2),
        Checks = s.Checks.Select(c => new { c.Id, c.Title, Result = c.Result.ToString().ToLowerInvariant(), c.Points, c.Lost, c.Detail, c.Fix }),
    });
}
