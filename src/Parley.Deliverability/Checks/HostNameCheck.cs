using System.Net;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Checks;

/// <summary>
/// The name Parley greets with and says in EHLO must be a fully qualified domain name that resolves to this server:
/// receivers and relays refuse or score a bare name ("vm") or one that points elsewhere (Postfix's
/// reject_non_fqdn_helo_hostname and reject_unknown_helo_hostname).
/// </summary>
public sealed class HostNameCheck(IDnsResolver dns)
{
    /// <param name="publicIp">This server's public address; null checks only that the name resolves.</param>
    public async Task<IReadOnlyList<Finding>> CheckAsync(string hostName, IPAddress? publicIp, CancellationToken cancellationToken)
    {
        var given = hostName.Trim().TrimEnd('.');
        if (!DnsName.TryNormalize(given, out var name) || !name.Contains('.') || IPAddress.TryParse(given, out _))
        {
            return [new Finding("host.not-fqdn", FindingSeverity.Warn, "The host name is not a full domain name",
                $"Parley greets and says EHLO as \"{given}\", which is not a fully qualified domain name: many mail servers refuse such a greeting " +
                "or count it against the mail. Set Settings → Host name to this server's public name, such as mail.example.com, with an address record pointing to it.")];
        }

        var v4 = SafeDns.QueryAsync(dns, name, DnsRecordType.A, cancellationToken);
        var v6 = SafeDns.QueryAsync(dns, name, DnsRecordType.Aaaa, cancellationToken);
        var answers = await Task.WhenAll(v4, v6).ConfigureAwait(false);
        var addresses = answers.SelectMany(a => a.RecordsOf<DnsAddressRecord>()).Select(a => a.Address).Distinct().ToArray();
        var fix = publicIp is null ? null : DnsFix.AddressRecord(name, publicIp);
        if (addresses.Length == 0 && answers.Any(a => a.IsTemporaryFailure))
        {
            return [new Finding("host.dns-error", FindingSeverity.Warn, "The host name could not be looked up",
                $"The address lookup for {name} failed: {answers.First(a => a.IsTemporaryFailure).Status}.")];
        }

        if (addresses.Length == 0)
        {
            return [new Finding("host.unresolved", FindingSeverity.Warn, "The host name has no address",
                $"Parley says EHLO as {name}, which has no A or AAAA record, so receivers cannot tell it is this server." +
                (fix is null ? " Publish an address record for it pointing to this server." : " Publish the record below."), fix)];
        }

        var listed = string.Join(", ", addresses.Select(a => a.ToString()));
        if (publicIp is null)
        {
            return [new Finding("host.resolves", FindingSeverity.Info, "The host name resolves",
                $"{name} → {listed}. Set this server's public IP in Settings so the doctor can check that this is the server.")];
        }

        var ip = publicIp.IsIPv4MappedToIPv6 ? publicIp.MapToIPv4() : publicIp;
        if (!addresses.Contains(ip))
        {
            return [new Finding("host.elsewhere", FindingSeverity.Warn, "The host name points to another server",
                $"{name} → {listed}, but this server's public IP is {ip} (Settings). Receivers that check the EHLO name see another machine. Publish the record below, or set the host name this server really has.", fix)];
        }

        return [new Finding("host.valid", FindingSeverity.Pass, "The host name is this server's", $"{name} → {listed}, this server's public IP.")];
    }
}
