using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;
using Parley.Deliverability.Spf;

namespace Parley.Deliverability.Checks;

/// <summary>TLS-RPT (RFC 8460), BIMI and DNSSEC: records that help but are optional, reported as info (or warn when broken).</summary>
public sealed class RecordPresenceCheck(IDnsResolver dns)
{
    /// <param name="reportAddress">The rua= mailbox to propose (default tls-reports@domain).</param>
    public async Task<Finding> CheckTlsRptAsync(string domain, string? reportAddress, CancellationToken cancellationToken)
    {
        var name = "_smtp._tls." + domain;
        var answer = await SafeDns.QueryAsync(dns, name, DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
        var records = answer.RecordsOf<DnsTxtRecord>().Where(t => t.Text.TrimStart().StartsWith("v=TLSRPTv1", StringComparison.Ordinal)).ToArray();
        if (answer.IsTemporaryFailure)
        {
            return new Finding("tls-rpt.dns-error", FindingSeverity.Info, "TLS-RPT record could not be read", $"TXT lookup for {name} failed: {answer.Status}.");
        }

        if (records.Length == 0)
        {
            return new Finding("tls-rpt.missing", FindingSeverity.Info, "No TLS-RPT record",
                $"{name} is not published; senders cannot report TLS failures delivering to {domain}.",
                new DnsFix("TXT", name, $"v=TLSRPTv1; rua=mailto:{reportAddress ?? "tls-reports@" + domain}"));
        }

        return records.Length == 1 && records[0].Text.Contains("rua=", StringComparison.Ordinal)
            ? new Finding("tls-rpt.valid", FindingSeverity.Pass, "TLS-RPT record present", $"{name}: \"{records[0].Text}\".")
            : new Finding("tls-rpt.syntax", FindingSeverity.Warn, "TLS-RPT record is invalid", $"{name} needs exactly one \"v=TLSRPTv1; rua=…\" record.");
    }

    public async Task<Finding> CheckBimiAsync(string domain, CancellationToken cancellationToken)
    {
        var name = "default._bimi." + domain;
        var answer = await SafeDns.QueryAsync(dns, name, DnsRecordType.Txt, cancellationToken).ConfigureAwait(false);
        var record = answer.RecordsOf<DnsTxtRecord>().FirstOrDefault(t => t.Text.TrimStart().StartsWith("v=BIMI1", StringComparison.OrdinalIgnoreCase));
        return record is null
            ? new Finding("bimi.missing", FindingSeverity.Info, "No BIMI record", $"{name} is not published (optional: shows the brand logo in some inboxes; needs DMARC at quarantine or reject).")
            : new Finding("bimi.present", FindingSeverity.Info, "BIMI record present", $"{name}: \"{record.Text}\".");
    }

    /// <summary>DNSSEC as the resolver vouches for it (AD bit); only as good as the path to that resolver.</summary>
    public static Finding DnssecFrom(string domain, DnsAnswer answer) => answer.Authenticated
        ? new Finding("dnssec.signed", FindingSeverity.Info, "DNSSEC validated", $"The resolver validated the answers for {domain} (AD bit).")
        : new Finding("dnssec.unsigned", FindingSeverity.Info, "DNSSEC not validated", $"Answers for {domain} were not DNSSEC-validated by the resolver (zone unsigned, or the resolver does not validate).");
}
