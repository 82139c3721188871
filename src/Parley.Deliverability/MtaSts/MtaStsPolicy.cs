namespace Parley.Deliverability.MtaSts;

/// <summary>What an MTA-STS policy asks of senders (RFC 8461 §5).</summary>
public enum MtaStsMode
{
    /// <summary>No policy is in effect (a domain stepping back from MTA-STS).</summary>
    None,

    /// <summary>Deliver as usual, but report what would have failed.</summary>
    Testing,

    /// <summary>Only listed MX hosts, only over TLS with a certificate valid for the MX name.</summary>
    Enforce,
}

/// <summary>A parsed MTA-STS policy file (RFC 8461 §3.2), with the TXT record id it was fetched under.</summary>
public sealed record MtaStsPolicy(MtaStsMode Mode, IReadOnlyList<string> MxPatterns, TimeSpan MaxAge, string Id = "")
{
    /// <summary>RFC 8461 §3.2: max_age is at most 31557600 seconds (about a year).</summary>
    public static readonly TimeSpan LongestMaxAge = TimeSpan.FromSeconds(31_557_600);

    /// <summary>
    /// RFC 8461 §4.1: an MX host matches a pattern exactly, or a leading "*." wildcard covers exactly one label
    /// ("*.example.com" matches "mx.example.com", not "a.mx.example.com" nor "example.com"). Case-insensitive; a
    /// trailing dot is ignored.
    /// </summary>
    public bool Matches(string mxHost)
    {
        ArgumentNullException.ThrowIfNull(mxHost);
        var host = mxHost.TrimEnd('.').ToLowerInvariant();
        foreach (var raw in MxPatterns)
        {
            var pattern = raw.TrimEnd('.').ToLowerInvariant();
            if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                var dot = host.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0 && host[(dot + 1)..] == pattern[2..])
                {
                    return true;
                }
            }
            else if (host == pattern)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Strict parse of the policy body: "key: value" lines (CRLF or LF), version STSv1 first-class, mode one of
    /// enforce/testing/none, max_age a non-negative integer up to <see cref="LongestMaxAge"/>, at least one mx line
    /// unless mode is none. Unknown keys are ignored (§3.2); anything malformed is refused with the reason.
    /// </summary>
    public static MtaStsPolicyParse Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? version = null, mode = null, maxAge = null;
        var mx = new List<string>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return MtaStsPolicyParse.Invalid($"the line \"{Shorten(line)}\" is not \"key: value\"");
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "version":
                    version ??= value;
                    break;
                case "mode":
                    mode ??= value;
                    break;
                case "max_age":
                    maxAge ??= value;
                    break;
                case "mx":
                    if (!IsMxPattern(value))
                    {
                        return MtaStsPolicyParse.Invalid($"\"{Shorten(value)}\" is not an mx pattern (a host name, optionally led by \"*.\")");
                    }

                    mx.Add(value.ToLowerInvariant());
                    break;
            }
        }

        if (version != "STSv1")
        {
            return MtaStsPolicyParse.Invalid(version is null ? "it has no version line" : $"the version is \"{Shorten(version)}\", not STSv1");
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
            return MtaStsPolicyParse.Invalid(mode is null ? "it has no mode line" : $"the mode \"{Shorten(mode)}\" is not enforce, testing or none");
        }

        if (maxAge is null || maxAge.Length is 0 or > 10 || !maxAge.All(char.IsAsciiDigit) || !long.TryParse(maxAge, out var seconds))
        {
            return MtaStsPolicyParse.Invalid(maxAge is null ? "it has no max_age line" : $"max_age \"{Shorten(maxAge)}\" is not a number of seconds");
        }

        if (seconds > (long)LongestMaxAge.TotalSeconds)
        {
            return MtaStsPolicyParse.Invalid($"max_age {seconds} is longer than the 31557600 seconds RFC 8461 allows");
        }

        if (mx.Count == 0 && parsedMode != MtaStsMode.None)
        {
            return MtaStsPolicyParse.Invalid("it lists no mx host");
        }

        return new MtaStsPolicyParse(new MtaStsPolicy(parsedMode.Value, mx, TimeSpan.FromSeconds(seconds)), null);
    }

    /// <summary>The id of the one "v=STSv1" TXT record at _mta-sts.&lt;domain&gt; (RFC 8461 §3.1), or null when there is not exactly one valid record.</summary>
    public static string? IdFromTxt(IEnumerable<string> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var sts = records.Where(r => r.StartsWith("v=STSv1", StringComparison.Ordinal)).ToList();
        if (sts.Count != 1)
        {
            return null;
        }

        foreach (var field in sts[0].Split(';'))
        {
            var pair = field.Trim();
            if (pair.StartsWith("id=", StringComparison.Ordinal))
            {
                var id = pair[3..];
                return id.Length is > 0 and <= 32 && id.All(char.IsAsciiLetterOrDigit) ? id : null;
            }
        }

        return null;
    }

    private static bool IsMxPattern(string value)
    {
        var host = value.StartsWith("*.", StringComparison.Ordinal) ? value[2..] : value;
        return host.Length is > 0 and <= 253
            && host.Split('.').All(label => label.Length is > 0 and <= 63
                && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && label[0] != '-' && label[^1] != '-');
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

/// <summary>A parsed policy, or why the text is not one.</summary>
public sealed record MtaStsPolicyParse(MtaStsPolicy? Policy, string? Error)
{
    public static MtaStsPolicyParse Invalid(string error) => new(null, "The MTA-STS policy is invalid: " + error + ".");
}
