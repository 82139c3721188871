using System.Net;
using System.Net.Sockets;

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
public sealed record DnsFix(string Type, string Name, string Value)
{
    /// <summary>
    /// A TXT value as DNS must carry it: character-strings of at most 255 octets (a 2048-bit DKIM key
    /// needs two). One string when the value fits; other types are never split.
    /// </summary>
    public IReadOnlyList<string> Strings => Type == "TXT" ? TxtStrings.Split(Value) : [Value];

    /// <summary>The A (or, for an IPv6 address, AAAA) record that makes a name resolve to an address.</summary>
    public static DnsFix AddressRecord(string name, IPAddress address) =>
        new(address.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A", name, address.ToString());
}

/// <summary>Splits TXT values into the 255-octet character-strings of RFC 1035 (ASCII records: octets are characters).</summary>
public static class TxtStrings
{
    public const int MaxStringLength = 255;

    public static IReadOnlyList<string> Split(string value)
    {
        if (value.Length <= MaxStringLength)
        {
            return [value];
        }

        var parts = new List<string>();
        for (int start = 0; start < value.Length; start += MaxStringLength)
        {
            parts.Add(value.Substring(start, Math.Min(MaxStringLength, value.Length - start)));
        }

        return parts;
    }

    /// <summary>Zone-file form: each string quoted, separated by a space.</summary>
    public static string ToZoneText(string value) =>
        string.Join(' ', Split(value).Select(s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\""));
}

/// <summary>
/// One result of a DNS/deliverability check. <see cref="Id"/> is stable and dotted ("spf.missing",
/// "dkim.key-too-short", "dmarc.policy-none"…) so the UI, the API and tests can rely on it; the words
/// may change, the id does not.
/// </summary>
public sealed record Finding(string Id, FindingSeverity Severity, string Title, string Detail, DnsFix? Fix = null);

/// <summary>What a check's findings say as a whole.</summary>
public static class FindingExtensions
{
    /// <summary>True when any finding asks for action: a warning or a failure.</summary>
    public static bool HasProblem(this IEnumerable<Finding> findings) =>
        findings.Any(f => f.Severity is FindingSeverity.Warn or FindingSeverity.Fail);

    /// <summary>A check that found nothing to act on says so first, with what it read (its "valid" finding).</summary>
    public static void LeadWithPassWhenClean(this List<Finding> findings, Finding pass)
    {
        if (!findings.HasProblem())
        {
            findings.Insert(0, pass);
        }
    }
}
