using Parley.Deliverability.Doctor;

namespace Parley.Core.SpamTest;

/// <summary>What one check found: it held, it failed, it half failed (a warning counts half), or it is only a note.</summary>
public enum CheckResult { Pass, Fail, Warn, Info }

/// <summary>How to mend a failed check: in words, and for DNS findings the exact record to publish (the doctor's).</summary>
public sealed record CheckFix(string Text, DnsFix? Record = null);

/// <summary>
/// One check of the spam test: a stable id (documented in docs/spam-score.md), what it costs when it fails
/// (<see cref="Points"/>), its result, what was found, and the fix.
/// </summary>
public sealed record SpamCheck(string Id, string Title, CheckResult Result, double Points, string Detail, CheckFix? Fix = null)
{
    /// <summary>The points this check takes off the score: all of them for a failure, half for a warning.</summary>
    public double Lost => Result switch
    {
        CheckResult.Fail => Points,
        CheckResult.Warn => Points / 2,
        _ => 0,
    };

    public static SpamCheck Pass(string id, string title, double points, string detail) => new(id, title, CheckResult.Pass, points, detail);

    public static SpamCheck Info(string id, string title, string detail) => new(id, title, CheckResult.Info, 0, detail);
}

/// <summary>One area of the report (authentication, format…) and its checks.</summary>
public sealed record SpamSection(string Id, string Title, IReadOnlyList<SpamCheck> Checks)
{
    public double Lost => Checks.Sum(c => c.Lost);
}

/// <summary>A rule an external engine (spamd, rspamd) hit, with that engine's own score for it.</summary>
public sealed record EngineHit(string Rule, double Score, string? Description);

/// <summary>What an optional engine said; shown beside the score, never mixed into it. Down: a note, not a failure.</summary>
public sealed record EngineVerdict(string Engine, double? Score, double? Threshold, IReadOnlyList<EngineHit> Hits, string? Note);

/// <summary>
/// The scored report of one message: 10 minus the points of failed checks (warnings count half), floored at 0 and
/// rounded to one decimal, in the band the report page colours.
/// </summary>
public sealed record SpamReport(
    double Score,
    IReadOnlyList<SpamSection> Sections,
    string? AuthenticationResults,
    IReadOnlyList<string> ReceivedChain,
    IReadOnlyList<EngineVerdict> Engines,
    DateTimeOffset ScoredAt)
{
    public const double Max = 10;

    public string Band => BandOf(Score);

    public static double ScoreOf(IEnumerable<SpamSection> sections) =>
        Math.Round(Math.Max(0, Max - sections.Sum(s => s.Lost)), 1, MidpointRounding.AwayFromZero);

    /// <summary>0–3 bad, 3–5 poor, 5–7 fair, 7–9 good, 9–10 excellent.</summary>
    public static string BandOf(double score) => score switch
    {
        < 3 => "bad",
        < 5 => "poor",
        < 7 => "fair",
        < 9 => "good",
        _ => "excellent",
    };

    public SpamCheck? Find(string id) => Sections.SelectMany(s => s.Checks).FirstOrDefault(c => c.Id == id);
}
