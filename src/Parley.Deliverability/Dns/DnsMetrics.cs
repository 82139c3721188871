using System.Diagnostics.Metrics;

namespace Parley.Deliverability.Dns;

/// <summary>Queries that went over the wire (cache hits are not queries), and those that got no answer.</summary>
public sealed class DnsMetrics
{
    private readonly Counter<long> _queries;
    private readonly Counter<long> _failures;

    public DnsMetrics(IMeterFactory? meters = null)
    {
        var meter = ParleyMeter.Create(meters);
        _queries = meter.CreateCounter<long>("parley_dns_queries", description: "DNS queries sent, by record type");
        _failures = meter.CreateCounter<long>("parley_dns_failures", description: "DNS queries without an answer (timeout, SERVFAIL, error), by record type and status");
    }

    public void Queried(DnsRecordType type) => _queries.Add(1, ParleyMeter.Tag("type", Name(type)));

    public void Failed(DnsRecordType type, DnsStatus status) =>
        _failures.Add(1, ParleyMeter.Tag("type", Name(type)), ParleyMeter.Tag("status", status));

    private static string Name(DnsRecordType type) => type.ToString().ToUpperInvariant();
}
