using System.Globalization;

namespace Parley.Deliverability.Dmarc;

/// <summary>
/// Parses "v=DMARC1; p=…; …" (RFC 7489 6.4 grammar, DMARCbis tags). Only a missing or misplaced
/// version makes the text "not a DMARC record"; everything else degrades to defaults with warnings,
/// as receivers do.
/// </summary>
public static class DmarcRecordParser
{
    private static readonly HashSet<string> KnownTags = ["v", "p", "sp", "np", "psd", "t", "adkim", "aspf", "pct", "rua", "ruf", "fo", "rf", "ri"];

    /// <summary>True when the text starts with the v=DMARC1 tag (whitespace around "=" allowed).</summary>
    public static bool IsDmarcRecord(string? text)
    {
        if (text is null)
        {
            return false;
        }

        var first = text.Split(';', 2)[0];
        int eq = first.IndexOf('=');
        return eq > 0 && first[..eq].Trim() == "v" && first[(eq + 1)..].Trim() == "DMARC1";
    }

    public static DmarcParseResult Parse(string text)
    {
        if (!IsDmarcRecord(text))
        {
            return new DmarcParseResult(null, "the record does not start with \"v=DMARC1\"");
        }

        var warnings = new List<string>();
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';'))
        {
            var piece = part.Trim(' ', '\t');
            if (piece.Length == 0)
            {
                continue;
            }

            int eq = piece.IndexOf('=');
            if (eq <= 0)
            {
                warnings.Add($"'{piece}' is not a tag=value pair and was ignored");
                continue;
            }

            var name = piece[..eq].Trim().ToLowerInvariant();
            var value = piece[(eq + 1)..].Trim();
            if (!tags.TryAdd(name, value))
            {
                warnings.Add($"tag '{name}' appears more than once; the first one is used");
            }
            else if (!KnownTags.Contains(name))
            {
                warnings.Add($"unknown tag '{name}' was ignored");
            }
        }

        bool published = TryPolicy(tags.GetValueOrDefault("p"), out var policy);
        if (!published)
        {
            warnings.Add(tags.ContainsKey("p") ? $"p={tags["p"]} is not none, quarantine or reject; treated as none" : "p= is missing; treated as none");
        }

        var subdomain = Policy(tags, "sp", policy, warnings);
        var nonExistent = Policy(tags, "np", subdomain, warnings);
        return new DmarcParseResult(new DmarcRecord
        {
            Text = text,
            Policy = policy,
            PolicyPublished = published,
            SubdomainPolicy = subdomain,
            NonExistentSubdomainPolicy = nonExistent,
            Psd = tags.GetValueOrDefault("psd")?.ToLowerInvariant() switch
            {
                "y" => DmarcPsd.Yes,
                "n" => DmarcPsd.No,
                null or "u" => DmarcPsd.Unknown,
                var other => Warn(warnings, $"psd={other} is not y, n or u", DmarcPsd.Unknown),
            },
            TestMode = tags.GetValueOrDefault("t")?.ToLowerInvariant() switch
            {
                "y" => true,
                null or "n" => false,
                var other => Warn(warnings, $"t={other} is not y or n", false),
            },
            DkimAlignment = Alignment(tags, "adkim", warnings),
            SpfAlignment = Alignment(tags, "aspf", warnings),
            Percent = Percent(tags, warnings),
            AggregateReportUris = Uris(tags, "rua", warnings),
            FailureReportUris = Uris(tags, "ruf", warnings),
            FailureOptions = tags.GetValueOrDefault("fo") ?? "0",
            ReportInterval = int.TryParse(tags.GetValueOrDefault("ri") ?? "86400", NumberStyles.None, CultureInfo.InvariantCulture, out var ri)
                ? ri
                : Warn(warnings, $"ri={tags["ri"]} is not a number of seconds", 86400),
            Tags = tags,
            Warnings = warnings,
        }, null);
    }

    private static bool TryPolicy(string? value, out DmarcPolicy policy)
    {
        switch (value?.ToLowerInvariant())
        {
            case "none": policy = DmarcPolicy.None; return true;
            case "quarantine": policy = DmarcPolicy.Quarantine; return true;
            case "reject": policy = DmarcPolicy.Reject; return true;
            default: policy = DmarcPolicy.None; return false;
        }
    }

    private static DmarcPolicy Policy(Dictionary<string, string> tags, string tag, DmarcPolicy fallback, List<string> warnings)
    {
        if (!tags.TryGetValue(tag, out var value))
        {
            return fallback;
        }

        return TryPolicy(value, out var policy) ? policy : Warn(warnings, $"{tag}={value} is not none, quarantine or reject; ignored", fallback);
    }

    private static DmarcAlignment Alignment(Dictionary<string, string> tags, string tag, List<string> warnings) =>
        tags.GetValueOrDefault(tag)?.ToLowerInvariant() switch
        {
            null or "r" => DmarcAlignment.Relaxed,
            "s" => DmarcAlignment.Strict,
            var other => Warn(warnings, $"{tag}={other} is not r or s; relaxed is used", DmarcAlignment.Relaxed),
        };

    private static int Percent(Dictionary<string, string> tags, List<string> warnings)
    {
        if (!tags.TryGetValue("pct", out var value))
        {
            return 100;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pct) && pct <= 100
            ? pct
            : Warn(warnings, $"pct={value} is not 0 to 100; 100 is used", 100);
    }

    private static DmarcReportUri[] Uris(Dictionary<string, string> tags, string tag, List<string> warnings)
    {
        if (!tags.TryGetValue(tag, out var value) || value.Length == 0)
        {
            return [];
        }

        var uris = new List<DmarcReportUri>();
        foreach (var raw in value.Split(','))
        {
            var item = raw.Trim();
            int bang = item.IndexOf('!');
            var uri = bang >= 0 ? item[..bang] : item;
            var size = bang >= 0 ? item[(bang + 1)..] : null;
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme == "mailto" && !uri[7..].Contains('@')))
            {
                warnings.Add($"{tag}: '{item}' is not a valid URI; ignored");
                continue;
            }

            if (parsed.Scheme != "mailto")
            {
                warnings.Add($"{tag}: '{item}' is not a mailto: URI; receivers only send reports by email");
            }

            uris.Add(new DmarcReportUri(uri, size));
        }

        return uris.ToArray();
    }

    private static T Warn<T>(List<string> warnings, string message, T value)
    {
        warnings.Add(message);
        return value;
    }
}
