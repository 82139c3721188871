using System.Globalization;
using MimeKit.Cryptography;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Dkim;

/// <summary>
/// The tags of one DKIM-Signature header, checked against RFC 6376 6.1.1 before any DNS or crypto work,
/// so every rejection has a precise reason and a result (neutral for what cannot be processed,
/// permerror for what the RFC forbids).
/// </summary>
public sealed record DkimSignature
{
    public string Domain { get; init; } = string.Empty;

    public string Selector { get; init; } = string.Empty;

    public string? Identity { get; init; }

    public string? AlgorithmText { get; init; }

    public DkimSignatureAlgorithm Algorithm { get; init; }

    public DkimCanonicalizationAlgorithm HeaderCanonicalization { get; init; }

    public DkimCanonicalizationAlgorithm BodyCanonicalization { get; init; }

    public IReadOnlyList<string> SignedHeaders { get; init; } = [];

    public string BodyHash { get; init; } = string.Empty;

    /// <summary>l=: how many body octets are signed, or -1 for the whole body.</summary>
    public int BodyLength { get; init; } = -1;

    public DateTimeOffset? Expires { get; init; }

    /// <summary>When the signature cannot be used: the result to report and why. Null when it can be verified.</summary>
    public (DkimResult Result, string Reason)? Problem { get; init; }

    /// <summary>The key algorithm the signature needs (k= of the key record must match).</summary>
    public DkimKeyType KeyType => Algorithm == DkimSignatureAlgorithm.Ed25519Sha256 ? DkimKeyType.Ed25519 : DkimKeyType.Rsa;

    public string HashName => Algorithm == DkimSignatureAlgorithm.RsaSha1 ? "sha1" : "sha256";

    public static DkimSignature Parse(string headerValue, DateTimeOffset now)
    {
        if (!DkimTagList.TryParse(headerValue, out var tags, out var error))
        {
            // Still report d= and s= when they can be picked out, for the one-line summary.
            return new DkimSignature { Domain = Pick(headerValue, "d"), Selector = Pick(headerValue, "s"), Problem = (DkimResult.Neutral, "malformed signature: " + error) };
        }

        var signature = new DkimSignature
        {
            Domain = (tags.GetValueOrDefault("d") ?? string.Empty).TrimEnd('.').ToLowerInvariant(),
            Selector = tags.GetValueOrDefault("s") ?? string.Empty,
            Identity = tags.GetValueOrDefault("i"),
            AlgorithmText = tags.GetValueOrDefault("a"),
        };

        foreach (var required in (ReadOnlySpan<string>)["v", "a", "b", "bh", "d", "h", "s"])
        {
            if (!tags.TryGetValue(required, out var value) || (value.Length == 0 && required != "b"))
            {
                return signature with { Problem = (DkimResult.Neutral, $"malformed signature: the {required}= tag is missing or empty") };
            }
        }

        if (tags["v"] != "1")
        {
            return signature with { Problem = (DkimResult.Neutral, $"unsupported version v={tags["v"]}") };
        }

        DkimSignatureAlgorithm algorithm;
        switch (tags["a"].ToLowerInvariant())
        {
            case "rsa-sha256": algorithm = DkimSignatureAlgorithm.RsaSha256; break;
            case "ed25519-sha256": algorithm = DkimSignatureAlgorithm.Ed25519Sha256; break;
            case "rsa-sha1":
                return signature with { Algorithm = DkimSignatureAlgorithm.RsaSha1, Problem = (DkimResult.PermError, "rsa-sha1 signatures are not accepted (RFC 8301)") };
            default:
                return signature with { Problem = (DkimResult.Neutral, $"unknown algorithm a={tags["a"]}") };
        }

        if (!TryCanonicalization(tags.GetValueOrDefault("c"), out var headerC, out var bodyC))
        {
            return signature with { Algorithm = algorithm, Problem = (DkimResult.Neutral, $"unknown canonicalization c={tags["c"]}") };
        }

        var headers = tags["h"].Split(':', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(h => DkimTagList.StripWhitespace(h)).ToArray();
        signature = signature with
        {
            Algorithm = algorithm,
            HeaderCanonicalization = headerC,
            BodyCanonicalization = bodyC,
            SignedHeaders = headers,
            BodyHash = DkimTagList.StripWhitespace(tags["bh"]),
        };

        if (!headers.Contains("from", StringComparer.OrdinalIgnoreCase))
        {
            return signature with { Problem = (DkimResult.PermError, "the From header is not signed (h= lacks from)") };
        }

        if (!DnsName.TryNormalize(signature.Domain, out _) || !DnsName.TryNormalize(signature.Selector + "._domainkey." + signature.Domain, out _))
        {
            return signature with { Problem = (DkimResult.PermError, $"d={signature.Domain} s={signature.Selector} is not a valid DNS name") };
        }

        if (signature.Identity is { } identity)
        {
            int at = identity.LastIndexOf('@');
            var identityDomain = at >= 0 ? identity[(at + 1)..] : string.Empty;
            if (at < 0 || !DnsName.IsSameOrSubdomain(identityDomain, signature.Domain))
            {
                return signature with { Problem = (DkimResult.PermError, $"i={identity} is not in the signing domain {signature.Domain}") };
            }
        }

        if (tags.TryGetValue("l", out var l))
        {
            if (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                return signature with { Problem = (DkimResult.Neutral, $"l={l} is not a number") };
            }

            signature = signature with { BodyLength = length };
        }

        if (tags.TryGetValue("x", out var x))
        {
            if (!long.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
            {
                return signature with { Problem = (DkimResult.Neutral, $"x={x} is not a timestamp") };
            }

            signature = signature with { Expires = DateTimeOffset.FromUnixTimeSeconds(Math.Min(expires, 253402300799)) };
            if (signature.Expires < now)
            {
                return signature with { Problem = (DkimResult.PermError, $"the signature expired at {signature.Expires:u}") };
            }
        }

        return signature;
    }

    private static bool TryCanonicalization(string? c, out DkimCanonicalizationAlgorithm header, out DkimCanonicalizationAlgorithm body)
    {
        header = body = DkimCanonicalizationAlgorithm.Simple;
        if (string.IsNullOrEmpty(c))
        {
            return true;
        }

        var parts = c.Split('/');
        if (parts.Length > 2 || !TryOne(parts[0], out header))
        {
            return false;
        }

        return parts.Length == 1 || TryOne(parts[1], out body);

        static bool TryOne(string text, out DkimCanonicalizationAlgorithm value)
        {
            switch (text.Trim().ToLowerInvariant())
            {
                case "simple": value = DkimCanonicalizationAlgorithm.Simple; return true;
                case "relaxed": value = DkimCanonicalizationAlgorithm.Relaxed; return true;
                default: value = DkimCanonicalizationAlgorithm.Simple; return false;
            }
        }
    }

    private static string Pick(string text, string tag)
    {
        foreach (var part in text.Split(';'))
        {
            int eq = part.IndexOf('=');
            if (eq > 0 && part[..eq].Trim() == tag)
            {
                return part[(eq + 1)..].Trim();
            }
        }

        return string.Empty;
    }
}
