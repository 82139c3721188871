using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Dmarc;

/// <summary>Identifier alignment (RFC 7489 3.1, DMARCbis 4.4): strict is equality, relaxed is the same Organizational Domain.</summary>
public static class DmarcAlignmentCheck
{
    public static bool IsAligned(string authenticatedDomain, string fromDomain, DmarcAlignment mode, string? authenticatedOrgDomain, string? fromOrgDomain)
    {
        var auth = Clean(authenticatedDomain);
        var from = Clean(fromDomain);
        if (auth.Length == 0 || from.Length == 0)
        {
            return false;
        }

        if (auth == from)
        {
            return true;
        }

        if (mode == DmarcAlignment.Strict)
        {
            return false;
        }

        var authOrg = Clean(authenticatedOrgDomain ?? auth);
        var fromOrg = Clean(fromOrgDomain ?? from);
        return authOrg == fromOrg;
    }

    private static string Clean(string domain) =>
        DnsName.TryNormalize(domain, out var normalized) ? normalized : domain.Trim().TrimEnd('.').ToLowerInvariant();
}
