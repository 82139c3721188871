namespace Parley.Deliverability.Dmarc;

public enum DmarcPolicy
{
    None,
    Quarantine,
    Reject,
}

public enum DmarcAlignment
{
    Relaxed,
    Strict,
}

/// <summary>The psd= tag of DMARCbis: whether the record is for a public suffix domain.</summary>
public enum DmarcPsd
{
    Unknown,
    Yes,
    No,
}

/// <summary>A reporting address from rua=/ruf=: the URI and its optional "!size" limit as written.</summary>
public sealed record DmarcReportUri(string Uri, string? SizeLimit)
{
    /// <summary>The mailbox of a mailto: URI, else null.</summary>
    public string? Mailbox => Uri.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? Uri[7..] : null;
}

/// <summary>
/// A DMARC policy record (RFC 7489 section 6.3, with the DMARCbis tags np= and psd=). Defaults are
/// applied: absent adkim/aspf are relaxed, pct is 100, fo is "0", ri is 86400.
/// </summary>
public sealed record DmarcRecord
{
    public required string Text { get; init; }

    /// <summary>p=; when missing or invalid it is treated as none (DMARCbis 4.7, RFC 7489 6.6.3).</summary>
    public DmarcPolicy Policy { get; init; }

    /// <summary>False when p= was missing or not one of none/quarantine/reject.</summary>
    public bool PolicyPublished { get; init; }

    /// <summary>sp=: policy for subdomains; defaults to <see cref="Policy"/>.</summary>
    public DmarcPolicy SubdomainPolicy { get; init; }

    /// <summary>np=: policy for non-existent subdomains; defaults to <see cref="SubdomainPolicy"/>.</summary>
    public DmarcPolicy NonExistentSubdomainPolicy { get; init; }

    public DmarcPsd Psd { get; init; }

    /// <summary>t=y (DMARCbis): test mode, receivers apply one level less strict.</summary>
    public bool TestMode { get; init; }

    public DmarcAlignment DkimAlignment { get; init; }

    public DmarcAlignment SpfAlignment { get; init; }

    /// <summary>pct= (RFC 7489; removed by DMARCbis in favour of t=).</summary>
    public int Percent { get; init; } = 100;

    public IReadOnlyList<DmarcReportUri> AggregateReportUris { get; init; } = [];

    public IReadOnlyList<DmarcReportUri> FailureReportUris { get; init; } = [];

    public string FailureOptions { get; init; } = "0";

    public int ReportInterval { get; init; } = 86400;

    /// <summary>Every tag as written (names lower-cased), unknown ones included.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Problems that do not invalidate the record (unknown tag, pct out of range, bad URI…).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>Either a record or why the text is not a DMARC record at all.</summary>
public sealed record DmarcParseResult(DmarcRecord? Record, string? Error)
{
    public bool IsValid => Record is not null;
}
