using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Parley.Deliverability.Dns;

/// <summary>
/// <see cref="IDnsResolver"/> over the wire, on DnsClient: UDP with TCP fallback on truncation,
/// per-attempt timeout and retries, to the configured servers or the system's. It does not cache
/// (<see cref="CachingDnsResolver"/> does, with an injected clock) and maps every failure to a status.
/// </summary>
public sealed partial class DnsClientResolver : IDnsResolver
{
    private readonly LookupClient _client;
    private readonly DnsOptions _options;
    private readonly ILogger _logger;
    private readonly DnsMetrics? _metrics;

    public DnsClientResolver(IOptions<DnsOptions> options, ILogger<DnsClientResolver>? logger = null, DnsMetrics? metrics = null)
        : this(options.Value, logger, metrics)
    {
    }

    public DnsClientResolver(DnsOptions options, ILogger<DnsClientResolver>? logger = null, DnsMetrics? metrics = null)
    {
        _options = options;
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var servers = new List<NameServer>();
        foreach (var server in options.Servers)
        {
            if (!DnsOptions.TryParseServer(server, out var endPoint))
            {
                throw new ArgumentException($"DNS server '{server}' is not HOST[:PORT] with an IP address host.", nameof(options));
            }

            servers.Add(new NameServer(endPoint));
        }

        var clientOptions = servers.Count > 0 ? new LookupClientOptions(servers.ToArray()) : new LookupClientOptions();
        clientOptions.UseCache = false;
        clientOptions.Timeout = options.Timeout;
        clientOptions.Retries = Math.Max(0, options.Retries);
        clientOptions.UseTcpFallback = options.UseTcpFallback;
        clientOptions.ThrowDnsErrors = false;
        clientOptions.ContinueOnDnsError = true;
        clientOptions.ContinueOnEmptyResponse = false;
        clientOptions.RequestDnsSecRecords = options.RequestDnssec;
        _client = new LookupClient(clientOptions);
    }

    /// <summary>The servers actually used (configured, or discovered from the system).</summary>
    public IReadOnlyCollection<NameServer> NameServers => _client.NameServers;

    /// <summary>"the DNS server 127.0.0.1:53", or "the DNS servers 10.0.0.2:53, 10.0.0.3:53".</summary>
    private string Asked => _client.NameServers.Count == 1 ? $"the DNS server {_client.NameServers.First()}" : $"the DNS servers {string.Join(", ", _client.NameServers)}";

    private string DidNotAnswer => $"{Asked} did not answer";

    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        if (!DnsName.TryNormalize(name, out var queryName))
        {
            return DnsAnswer.Failure(name ?? string.Empty, type, DnsStatus.InvalidName, "The name cannot be queried.");
        }

        _metrics?.Queried(type);
        var answer = await QueryWireAsync(queryName, type, cancellationToken).ConfigureAwait(false);
        if (answer.IsTemporaryFailure)
        {
            _metrics?.Failed(type, answer.Status);
        }

        return answer;
    }

    private async Task<DnsAnswer> QueryWireAsync(string queryName, DnsRecordType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(queryName, (QueryType)(int)type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
        {
            // DnsClient's own words ("Query 11280 => … transient error") are for the debug log; people get one sentence.
            LogFailure(_logger, queryName, type, DnsStatus.Timeout, ex.Message);
            return DnsAnswer.Failure(queryName, type, DnsStatus.Timeout, DidNotAnswer);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // DnsClient cancels its own attempt when the per-query timeout elapses.
            LogFailure(_logger, queryName, type, DnsStatus.Timeout, ex.Message);
            return DnsAnswer.Failure(queryName, type, DnsStatus.Timeout, DidNotAnswer);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Socket errors, malformed responses, names DnsClient refuses: an answer we could not get.
            LogFailure(_logger, queryName, type, DnsStatus.Error, ex.Message);
            return DnsAnswer.Failure(queryName, type, DnsStatus.Error, $"{Asked} could not be asked ({(ex.InnerException ?? ex).Message.TrimEnd('.')})");
        }

        return ToAnswer(queryName, type, response);
    }

    private DnsAnswer ToAnswer(string name, DnsRecordType type, IDnsQueryResponse response)
    {
        var header = response.Header;
        bool authenticated = header.IsAuthenticData;
        switch (header.ResponseCode)
        {
            case DnsHeaderResponseCode.NoError:
                var records = new List<DnsRecord>();
                foreach (var rr in response.Answers)
                {
                    if (Convert(rr, type) is { } record)
                    {
                        records.Add(record);
                    }
                }

                return records.Count > 0
                    ? DnsAnswer.Found(name, type, records, authenticated)
                    : DnsAnswer.NoData(name, type, NegativeTtl(response), authenticated);
            case DnsHeaderResponseCode.NotExistentDomain:
                return DnsAnswer.NxDomain(name, type, NegativeTtl(response), authenticated);
            case DnsHeaderResponseCode.ServerFailure:
                LogFailure(_logger, name, type, DnsStatus.ServerFailure, response.ErrorMessage);
                return DnsAnswer.Failure(name, type, DnsStatus.ServerFailure, "SERVFAIL: " + response.ErrorMessage);
            default:
                LogFailure(_logger, name, type, DnsStatus.Error, response.ErrorMessage);
                return DnsAnswer.Failure(name, type, DnsStatus.Error, $"{header.ResponseCode}: {response.ErrorMessage}");
        }
    }

    /// <summary>RFC 2308: the negative TTL is min(SOA TTL, SOA MINIMUM) from the authority section.</summary>
    private TimeSpan NegativeTtl(IDnsQueryResponse response)
    {
        foreach (var rr in response.Authorities)
        {
            if (rr is SoaRecord soa)
            {
                return TimeSpan.FromSeconds(Math.Min((uint)Math.Max(0, soa.InitialTimeToLive), soa.Minimum));
            }
        }

        return _options.DefaultNegativeTtl;
    }

    private static DnsRecord? Convert(DnsResourceRecord rr, DnsRecordType type)
    {
        var owner = Clean(rr.DomainName.Value);
        var ttl = (uint)Math.Max(0, rr.InitialTimeToLive);
        return (rr, type) switch
        {
            (ARecord a, DnsRecordType.A) => new DnsAddressRecord(owner, ttl, a.Address),
            (AaaaRecord a, DnsRecordType.Aaaa) => new DnsAddressRecord(owner, ttl, a.Address),
            (TxtRecord t, DnsRecordType.Txt) => new DnsTxtRecord(owner, ttl, t.Text.ToArray()),
            (MxRecord m, DnsRecordType.Mx) => new DnsMxRecord(owner, ttl, m.Preference, Clean(m.Exchange.Value)),
            (PtrRecord p, DnsRecordType.Ptr) => new DnsPtrRecord(owner, ttl, Clean(p.PtrDomainName.Value)),
            (CNameRecord c, DnsRecordType.Cname) => new DnsCnameRecord(owner, ttl, Clean(c.CanonicalName.Value)),
            _ => null,
        };
    }

    private static string Clean(string name) => name.TrimEnd('.').ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Debug, Message = "DNS {Name} {Type}: {Status} ({Detail})")]
    private static partial void LogFailure(ILogger logger, string name, DnsRecordType type, DnsStatus status, string? detail);
}
