namespace Parley.Deliverability.Reports;

/// <summary>
/// How much work one report input may cost. Reports are hostile input from the internet: an archive may claim to hold
/// far more than it does, or expand a thousandfold (a zip bomb), and an XML document may nest without end.
/// </summary>
public sealed record ReportLimits
{
    /// <summary>The largest input taken at all (an email, an upload, a file).</summary>
    public long MaxInputBytes { get; init; } = 25 * 1024 * 1024;

    /// <summary>The most bytes one input may expand to, across all its archives and members together.</summary>
    public long MaxExpandedBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// The highest expansion ratio of a compressed member once it is past <see cref="RatioCheckedFrom"/> bytes. XML
    /// reports compress 10 to 40 times; bombs compress a thousand times and more.
    /// </summary>
    public int MaxRatio { get; init; } = 200;

    /// <summary>Small members may expand steeply (a few hundred bytes of headers); the ratio is checked past this.</summary>
    public long RatioCheckedFrom { get; init; } = 1024 * 1024;

    /// <summary>How deep archives may nest inside each other (an email holding a zip holding a gzip).</summary>
    public int MaxNesting { get; init; } = 4;

    /// <summary>Entries read from one zip archive (a report archive holds one).</summary>
    public int MaxZipEntries { get; init; } = 20;

    /// <summary>Rows of one aggregate report (Parley reads 50,000-row reports; a million is no report).</summary>
    public int MaxRows { get; init; } = 500_000;

    public static ReportLimits Default { get; } = new();
}
