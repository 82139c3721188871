using System.Globalization;

namespace Parley.Core.Inbound;

/// <summary>
/// Inbound limits from configuration (section <c>Inbound</c>, e.g. the environment variable
/// <c>Inbound__MaxMessageSize=52428800</c>), the same for every way in.
/// </summary>
public sealed class InboundOptions
{
    public const string Section = "Inbound";

    /// <summary>The largest value either database stores in one column (SQLite's default limit; PostgreSQL's is 1 GB).</summary>
    public const long LargestStorable = 1_000_000_000;

    /// <summary>
    /// The largest message accepted, in bytes: the SMTP listener announces it (EHLO SIZE) and answers 552 5.3.4 past it;
    /// <c>POST /api/v1/inbound/raw</c> (what <c>parley mailgate</c> calls) answers 413. 50 MB.
    /// </summary>
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>The limit in words: "50 MB", "64 KB", or bytes.</summary>
    public string MaxMessageSizeInWords() => MaxMessageSize switch
    {
        var b when b % (1024 * 1024) == 0 => $"{(b / 1024 / 1024).ToString(CultureInfo.InvariantCulture)} MB",
        var b when b % 1024 == 0 => $"{(b / 1024).ToString(CultureInfo.InvariantCulture)} KB",
        var b => $"{b.ToString(CultureInfo.InvariantCulture)} bytes",
    };
}
