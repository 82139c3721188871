using System.Globalization;
using System.Text;

namespace Parley.Core.SpamTest;

/// <summary>The report as plain text (<c>parley score</c>): the score alone on the first line, then each section and check.</summary>
public static class SpamReportText
{
    public static string Format(SpamReport report)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{report.Score:0.0}/{SpamReport.Max:0}\n");
        text.Append(CultureInfo.InvariantCulture, $"band: {report.Band}\n");
        foreach (var section in report.Sections)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{section.Title} ({(section.Lost == 0 ? "0" : "-" + section.Lost.ToString("0.##", CultureInfo.InvariantCulture))})\n");
            foreach (var check in section.Checks)
            {
                var lost = check.Lost > 0 ? $" -{check.Lost.ToString("0.##", CultureInfo.InvariantCulture)}" : "";
                text.Append(CultureInfo.InvariantCulture, $"  {check.Result.ToString().ToLowerInvariant(),-4}{lost,-6} {check.Id}: {check.Detail}\n");
                if (check.Fix is { } fix && check.Result is CheckResult.Fail or CheckResult.Warn)
                {
                    text.Append(CultureInfo.InvariantCulture, $"        fix: {fix.Text}\n");
                    if (fix.Record is { } record)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"        {record.Name} {record.Type} {record.Value}\n");
                    }
                }
            }
        }

        foreach (var engine in report.Engines)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{engine.Engine}: {(engine.Score is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "-")}{(engine.Note is null ? "" : " (" + engine.Note + ")")}\n");
            foreach (var hit in engine.Hits)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {hit.Score,6:0.0} {hit.Rule}{(hit.Description is null ? "" : ": " + hit.Description)}\n");
            }
        }

        if (report.AuthenticationResults is { } results)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nAuthentication-Results: {results}\n");
        }

        return text.ToString().TrimEnd('\n');
    }
}
