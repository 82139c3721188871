using System.Globalization;

namespace Parley.Deliverability.MtaSts;

public enum MtaStsMode { None, Testing, Enforce }

/// <summary>
/// A recipient domain's MTA-STS policy (RFC 8461 §3.2): the mode, how long it may be cached, and the MX host patterns
/// that may receive its mail over TLS with a certificate valid for their name.
/// </summary>
public sealed record MtaStsPolicy(MtaStsMode Mode, TimeSpan MaxAge, IReadOnlyList<string> Mx, string Id)
{
    /// <summary>RFC 8461 §3.2: max_age is at most 31557600 seconds (about a year).</summary>
    public static readonly TimeSpan LongestMaxAge = TimeSpan.FromSeconds(31_557_600);

    /// <summary>The policy file's text, as fetched, with the id of the TXT record that announced it; null and why when it is not valid.</summary>
    public static (MtaStsPolicy? Policy, string? Error) Parse(string text, string id)
    {
        string? version = null, mode = null, maxAge = null;
        var mx = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "version": version ??= value; break;
                case "mode": mode ??= value; break;
                case "max_age": maxAge ??= value; break;
                case "mx": mx.Add(value.TrimEnd('.').ToLowerInvariant()); break;
            }
        }

        if (version != "STSv1")
        {
            return (null, "the policy has no \"version: STSv1\" line");
        }

        var parsedMode = mode switch
        {
            "enforce" => MtaStsMode.Enforce,
            "testing" => MtaStsMode.Testing,
            "none" => MtaStsMode.None,
            _ => (MtaStsMode?)null,
        };
        if (parsedMode is null)
        {
            return (null, $"the policy's mode \"{mode}\" is not enforce, testing or none");
        }

        if (!long.TryParse(maxAge, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return (null, "the policy has no max_age in seconds");
        }

        if (parsedMode != MtaStsMode.None && mx.Count == 0)
        {
            return (null, "the policy names no mx");
        }

        var age = TimeSpan.FromSeconds(Math.Min(seconds, (long)LongestMaxAge.TotalSeconds));
        return (new MtaStsPolicy(parsedMode.Value, age, mx, id), null);
    }

    /// <summary>
    /// Whether an MX host may receive the domain's mail (RFC 8461 §4.1): an exact name, or "*.example.com", which matches
    /// one label left of example.com (mx1.example.com, not a.b.example.com nor example.com).
    /// </summary>
    public bool Allows(string host)
    {
        var name = host.TrimEnd('.').ToLowerInvariant();
        foreach (var pattern in Mx)
        {
            if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                var suffix = pattern[1..];
                if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length && !name[..^suffix.Length].Contains('.'))
                {
                    return true;
                }
            }
            else if (name == pattern)
            {
                return true;
            }
        }

        return false;
    }
}
