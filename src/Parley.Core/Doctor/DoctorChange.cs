using Parley.Deliverability.Doctor;

namespace Parley.Core.Doctor;

/// <summary>
/// What changed between two doctor reports, in words for the chatter ("SPF now fails: No SPF record;
/// DMARC fixed"). Two reports differ when their sets of (id, severity) differ; wording changes alone
/// are not a change. A first report (nothing before it) is always a change, summarised.
/// </summary>
public sealed record DoctorChange(IReadOnlyList<string> Lines, IReadOnlyList<Finding> NewProblems, bool IsFirst = false)
{
    public string Summary => string.Join("; ", Lines);

    /// <summary>Null when nothing changed, or when DNS did not answer (that says nothing about the domain).</summary>
    public static DoctorChange? Between(DoctorReport? previous, DoctorReport current)
    {
        if (current.IsTemporaryFailure)
        {
            return null;
        }

        var now = Keys(current);
        if (previous is null)
        {
            return First(current);
        }

        var before = Keys(previous);
        if (before.SetEquals(now))
        {
            return null;
        }

        var lines = new List<string>();
        var newProblems = new List<Finding>();
        var areas = previous.Findings.Concat(current.Findings).Select(f => f.AreaOf()).Distinct()
            .OrderBy(a => a == "setup" ? -1 : FindingAreas.Rank(a)).ToList();
        foreach (var area in areas)
        {
            var was = previous.Findings.Where(f => f.AreaOf() == area).ToList();
            var @is = current.Findings.Where(f => f.AreaOf() == area).ToList();
            if (Keys(was).SetEquals(Keys(@is)))
            {
                continue;
            }

            var name = AreaName(area);
            var added = @is.Where(f => !before.Contains((f.Id, f.Severity))).ToList();
            var stillProblems = @is.Where(IsProblem).Select(f => f.Id).ToHashSet();
            var resolved = was.Where(f => IsProblem(f) && !now.Contains((f.Id, f.Severity)) && !stillProblems.Contains(f.Id)).ToList();
            var worst = Worst(@is);
            var wasWorst = Worst(was);
            var areaLines = new List<string>();

            newProblems.AddRange(AddProblemLines(areaLines, $"{name} now", added));

            if (wasWorst >= FindingSeverity.Warn && worst < FindingSeverity.Warn)
            {
                areaLines.Add($"{name} fixed");
            }
            else if (resolved.Count > 0)
            {
                areaLines.Add($"{name}: no longer {string.Join(", ", resolved.Select(f => $"\"{f.Title}\"").Distinct())}");
            }

            if (areaLines.Count == 0)
            {
                var notes = added.Count > 0 ? Titles(added) : "a check no longer reports " + Titles(was.Where(f => !now.Contains((f.Id, f.Severity))));
                areaLines.Add($"{name}: {notes}");
            }
            lines.AddRange(areaLines);
        }
        return new DoctorChange(lines, newProblems);
    }

    private static DoctorChange First(DoctorReport current)
    {
        var problems = current.Findings.Where(IsProblem).ToList();
        if (problems.Count == 0)
        {
            return new DoctorChange(["First check: everything passes"], [], IsFirst: true);
        }

        var lines = new List<string>();
        foreach (var area in problems.GroupBy(f => f.AreaOf()))
        {
            AddProblemLines(lines, AreaName(area.Key), area);
        }
        lines.Insert(0, "First check");
        return new DoctorChange(lines, problems, IsFirst: true);
    }

    public static string AreaName(string area) => area switch
    {
        "setup" => "Setup",
        "doctor" => "Doctor",
        "spf" => "SPF",
        "dkim" => "DKIM",
        "dmarc" => "DMARC",
        "mx" => "MX",
        "host" => "Host name",
        "ptr" => "Reverse DNS",
        "dnsbl" => "Block lists",
        "mta-sts" => "MTA-STS",
        "tls-rpt" => "TLS-RPT",
        "bimi" => "BIMI",
        "dnssec" => "DNSSEC",
        _ => area.ToUpperInvariant(),
    };

    /// <summary>
    /// Adds "<paramref name="subject"/> fails: …" and "… warns: …" for the failing and warning ones of
    /// <paramref name="findings"/>; returns those, the failures first.
    /// </summary>
    private static List<Finding> AddProblemLines(List<string> lines, string subject, IEnumerable<Finding> findings)
    {
        var fails = findings.Where(f => f.Severity == FindingSeverity.Fail).ToList();
        var warns = findings.Where(f => f.Severity == FindingSeverity.Warn).ToList();
        if (fails.Count > 0)
        {
            lines.Add($"{subject} fails: {Titles(fails)}");
        }

        if (warns.Count > 0)
        {
            lines.Add($"{subject} warns: {Titles(warns)}");
        }

        return [.. fails, .. warns];
    }

    private static bool IsProblem(Finding f) => f.Severity >= FindingSeverity.Warn;

    private static FindingSeverity Worst(IEnumerable<Finding> findings) =>
        findings.Select(f => f.Severity).DefaultIfEmpty(FindingSeverity.Pass).Max();

    private static string Titles(IEnumerable<Finding> findings) =>
        string.Join(", ", findings.Select(f => f.Title).Distinct());

    private static HashSet<(string, FindingSeverity)> Keys(DoctorReport report) => Keys(report.Findings);

    private static HashSet<(string, FindingSeverity)> Keys(IEnumerable<Finding> findings) =>
        findings.Select(f => (f.Id, f.Severity)).ToHashSet();
}
