namespace Parley.Deliverability.Doctor;

/// <summary>How a finding should colour the doctor's report.</summary>
public enum FindingSeverity
{
    Pass,
    Info,
    Warn,
    Fail,
}

/// <summary>The DNS record to publish to fix a finding: type ("TXT"), owner name, and the exact value.</summary>
public sealed record DnsFix(string Type, string Name, string Value);

/// <summary>
/// One result of a DNS/deliverability check. <see cref="Id"/> is stable and dotted ("spf.missing",
/// "dkim.key-too-short", "dmarc.policy-none"…) so the UI, the API and tests can rely on it; the words
/// may change, the id does not.
/// </summary>
public sealed record Finding(string Id, FindingSeverity Severity, string Title, string Detail, DnsFix? Fix = null);
