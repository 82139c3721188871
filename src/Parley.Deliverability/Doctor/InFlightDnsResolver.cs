using System.Collections.Concurrent;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Doctor;

/// <summary>
/// One report's view of DNS: checks that run in parallel and ask the same question share one query,
/// even while it is in flight (a TTL cache alone would send both). Lives for one report only.
/// </summary>
internal sealed class InFlightDnsResolver(IDnsResolver inner) : IDnsResolver
{
    private readonly ConcurrentDictionary<(string, DnsRecordType), Lazy<Task<DnsAnswer>>> _queries = new();

    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var key = (DnsName.TryNormalize(name, out var normalized) ? normalized : name ?? string.Empty, type);
        return _queries.GetOrAdd(key, k => new Lazy<Task<DnsAnswer>>(() => QueryOnceAsync(k.Item1, k.Item2, cancellationToken))).Value;
    }

    private async Task<DnsAnswer> QueryOnceAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return DnsAnswer.Failure(name, type, DnsStatus.Error, ex.Message);
        }
    }
}
