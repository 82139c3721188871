using System.Net;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Checks;

/// <summary>
/// Receivers want the sending IP's PTR to name the EHLO host and that host to resolve back to the IP
/// (forward-confirmed reverse DNS); many reject or spam-score mail without it.
/// </summary>
public sealed class PtrCheck(IDnsResolver dns)
{
    /// <param name="ehloName">The name Parley announces; null checks only that the PTR name resolves back to the IP.</param>
    public async Task<IReadOnlyList<Finding>> CheckAsync(IPAddress ip, string? ehloName, CancellationToken cancellationToken)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        var reverse = DnsName.ReverseName(ip);
        var addressType = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? DnsRecordType.Aaaa : DnsRecordType.A;
        string? ehlo = ehloName is null ? null : DnsName.TryNormalize(ehloName, out var e) ? e : ehloName.Trim().TrimEnd('.').ToLowerInvariant();

        // The PTR and the EHLO name's addresses are independent: ask both at once.
        var ptrTask = SafeDns.QueryAsync(dns, reverse, DnsRecordType.Ptr, cancellationToken);
        var forwardTask = ehlo is null ? null : SafeDns.QueryAsync(dns, ehlo, addressType, cancellationToken);
        var ptr = await ptrTask.ConfigureAwait(false);
        var ptrFix = new DnsFix("PTR", reverse, (ehlo ?? "<your host name>") + ".");
        if (ptr.IsTemporaryFailure)
        {
            return [new Finding("ptr.dns-error", FindingSeverity.Warn, "Reverse DNS could not be read", $"PTR lookup for {reverse} failed: {ptr.Status}.")];
        }

        var names = ptr.RecordsOf<DnsPtrRecord>().Select(p => p.Target.TrimEnd('.').ToLowerInvariant()).ToArray();
        if (names.Length == 0)
        {
            return [new Finding("ptr.missing", FindingSeverity.Fail, "The sending IP has no reverse DNS",
                $"{ip} has no PTR record. Many receivers reject or junk mail from such addresses. Ask whoever owns {ip} (your hosting provider) to set its PTR to {ehlo ?? "the name Parley uses in EHLO"}.", ptrFix)];
        }

        ehlo ??= names[0];
        if (!names.Contains(ehlo, StringComparer.OrdinalIgnoreCase))
        {
            return [new Finding("ptr.mismatch", FindingSeverity.Fail, "Reverse DNS does not match the EHLO name",
                $"{ip} → {string.Join(", ", names)}, but Parley says EHLO {ehlo}. Set the PTR of {ip} to {ehlo} (via your hosting provider), or make Parley's EHLO name {names[0]}.", ptrFix)];
        }

        var forward = await (forwardTask ?? SafeDns.QueryAsync(dns, ehlo, addressType, cancellationToken)).ConfigureAwait(false);
        var addresses = forward.RecordsOf<DnsAddressRecord>().Select(a => a.Address).ToArray();
        if (!addresses.Contains(ip))
        {
            return [new Finding("ptr.mismatch", FindingSeverity.Fail, "Reverse DNS is not forward-confirmed",
                $"{ip} → {ehlo}, but {ehlo} resolves to {(addresses.Length == 0 ? $"nothing ({forward.Status})" : string.Join(", ", addresses.Select(a => a.ToString())))}. Publish the address record below.",
                DnsFix.AddressRecord(ehlo, ip))];
        }

        return [new Finding("ptr.valid", FindingSeverity.Pass, "Reverse DNS matches the EHLO name", $"{ip} → {ehlo} → {ip} (forward-confirmed).")];
    }
}
