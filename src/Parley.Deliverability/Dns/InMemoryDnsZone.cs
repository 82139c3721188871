using System.Collections.Concurrent;
using System.Net;

namespace Parley.Deliverability.Dns;

/// <summary>
/// A DNS world held in memory, for tests, benchmarks and the doctor's "what if" checks. A name that was
/// never added answers NXDOMAIN; a name with records, but none of the asked type, answers NODATA.
/// Failures (timeout, SERVFAIL…) can be planted per name, for one type or for every type the name
/// has no records of. CNAMEs are followed like a recursive resolver does; a loop is SERVFAIL.
/// </summary>
public sealed class InMemoryDnsZone : IDnsResolver
{
    private const int MaxCnameHops = 8;

    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, DnsRecordType Type), Task<DnsAnswer>> _answers = new();
    private readonly Lock _gate = new();
    private int _queryCount;

    /// <summary>TTL given to records added from now on.</summary>
    public uint Ttl { get; set; } = 300;

    /// <summary>Whether answers carry the AD (DNSSEC authenticated) bit.</summary>
    public bool Authenticated { get; set; }

    /// <summary>How many queries were answered (including failures), for tests that count lookups.</summary>
    public int QueryCount => Volatile.Read(ref _queryCount);

    public InMemoryDnsZone AddA(string name, params string[] addresses)
    {
        foreach (var address in addresses)
        {
            Add(name, n => new DnsAddressRecord(n, Ttl, IPAddress.Parse(address)), DnsRecordType.A);
        }

        return this;
    }

    public InMemoryDnsZone AddAaaa(string name, params string[] addresses)
    {
        foreach (var address in addresses)
        {
            Add(name, n => new DnsAddressRecord(n, Ttl, IPAddress.Parse(address)), DnsRecordType.Aaaa);
        }

        return this;
    }

    /// <summary>Adds one TXT record made of the given character-strings (joined without separator when read).</summary>
    public InMemoryDnsZone AddTxt(string name, params string[] strings) =>
        Add(name, n => new DnsTxtRecord(n, Ttl, strings.ToArray()), DnsRecordType.Txt);

    public InMemoryDnsZone AddMx(string name, ushort preference, string exchange) =>
        Add(name, n => new DnsMxRecord(n, Ttl, preference, exchange.TrimEnd('.').ToLowerInvariant()), DnsRecordType.Mx);

    public InMemoryDnsZone AddPtr(string name, string target) =>
        Add(name, n => new DnsPtrRecord(n, Ttl, target.TrimEnd('.')), DnsRecordType.Ptr);

    public InMemoryDnsZone AddCname(string name, string target) =>
        Add(name, n => new DnsCnameRecord(n, Ttl, target.TrimEnd('.')), DnsRecordType.Cname);

    /// <summary>Makes the name exist without records (every type answers NODATA).</summary>
    public InMemoryDnsZone AddName(string name)
    {
        lock (_gate)
        {
            GetOrAddNode(Key(name));
            _answers.Clear();
        }

        return this;
    }

    /// <summary>
    /// Plants a failure. With <paramref name="type"/> null, every type the name has no records of fails
    /// (the SPF test suite's "TIMEOUT" entry); otherwise only that type fails.
    /// </summary>
    public InMemoryDnsZone AddFailure(string name, DnsStatus status, DnsRecordType? type = null)
    {
        if (status is DnsStatus.Found or DnsStatus.NoData or DnsStatus.NxDomain)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A failure status is needed.");
        }

        lock (_gate)
        {
            var node = GetOrAddNode(Key(name));
            if (type is { } t)
            {
                node.TypeFailures[t] = status;
            }
            else
            {
                node.NameFailure = status;
            }

            _answers.Clear();
        }

        return this;
    }

    public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _queryCount);
        if (!DnsName.TryNormalize(name, out var key))
        {
            return Task.FromResult(DnsAnswer.Failure(name ?? string.Empty, type, DnsStatus.InvalidName, "The name cannot be queried."));
        }

        return _answers.GetOrAdd((key, type), static (k, zone) => Task.FromResult(zone.Resolve(k.Name, k.Type)), this);
    }

    private DnsAnswer Resolve(string name, DnsRecordType type)
    {
        lock (_gate)
        {
            var current = name;
            var visited = new HashSet<string>(StringComparer.Ordinal) { current };
            for (int hop = 0; ; hop++)
            {
                if (!_nodes.TryGetValue(current, out var node))
                {
                    return DnsAnswer.NxDomain(name, type, TimeSpan.FromSeconds(Ttl), Authenticated);
                }

                var matching = node.Records.Where(r => r.Type == type).Select(r => r.Record).ToArray();
                if (matching.Length > 0)
                {
                    return DnsAnswer.Found(name, type, matching, Authenticated);
                }

                if (node.TypeFailures.TryGetValue(type, out var typeFailure))
                {
                    return DnsAnswer.Failure(name, type, typeFailure, $"Simulated {typeFailure} for {current} {type}.");
                }

                var cname = node.Records.FirstOrDefault(r => r.Type == DnsRecordType.Cname).Record as DnsCnameRecord;
                if (cname is not null && type != DnsRecordType.Cname)
                {
                    if (!DnsName.TryNormalize(cname.Target, out var next) || !visited.Add(next) || hop >= MaxCnameHops)
                    {
                        return DnsAnswer.Failure(name, type, DnsStatus.ServerFailure, $"CNAME loop or over-long chain at {current}.");
                    }

                    current = next;
                    continue;
                }

                if (node.NameFailure is { } failure)
                {
                    return DnsAnswer.Failure(name, type, failure, $"Simulated {failure} for {current}.");
                }

                return DnsAnswer.NoData(name, type, TimeSpan.FromSeconds(Ttl), Authenticated);
            }
        }
    }

    private InMemoryDnsZone Add(string name, Func<string, DnsRecord> create, DnsRecordType type)
    {
        lock (_gate)
        {
            var key = Key(name);
            GetOrAddNode(key).Records.Add((type, create(key)));
            _answers.Clear();
        }

        return this;
    }

    private Node GetOrAddNode(string key)
    {
        if (!_nodes.TryGetValue(key, out var node))
        {
            node = new Node();
            _nodes[key] = node;
        }

        return node;
    }

    /// <summary>Zone keys keep names that are not valid on the wire too (tests use them), in lower case.</summary>
    private static string Key(string name) =>
        DnsName.TryNormalize(name, out var normalized) ? normalized : name.TrimEnd('.').ToLowerInvariant();

    private sealed class Node
    {
        public List<(DnsRecordType Type, DnsRecord Record)> Records { get; } = [];

        public Dictionary<DnsRecordType, DnsStatus> TypeFailures { get; } = [];

        public DnsStatus? NameFailure { get; set; }
    }
}
