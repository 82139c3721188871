namespace Parley.Deliverability.Dns;

/// <summary>
/// The outcome of one lookup: the status, the records of the asked type, how long the answer may be
/// cached, and whether the resolver vouched for it with DNSSEC (the AD bit).
/// </summary>
public sealed record DnsAnswer(
    string Name,
    DnsRecordType Type,
    DnsStatus Status,
    IReadOnlyList<DnsRecord> Records,
    TimeSpan Ttl,
    bool Authenticated = false,
    string? Error = null)
{
    public bool IsFound => Status == DnsStatus.Found;

    /// <summary>NXDOMAIN or NODATA: an authoritative "nothing" (RFC 7208 4.6.4 "void lookup").</summary>
    public bool IsVoid => Status is DnsStatus.NxDomain or DnsStatus.NoData;

    /// <summary>The lookup failed in a way that may succeed later: SPF temperror, DKIM/DMARC temperror.</summary>
    public bool IsTemporaryFailure => Status is DnsStatus.ServerFailure or DnsStatus.Timeout or DnsStatus.Error;

    public IEnumerable<T> RecordsOf<T>() where T : DnsRecord => Records.OfType<T>();

    public static DnsAnswer Found(string name, DnsRecordType type, IReadOnlyList<DnsRecord> records, bool authenticated = false)
    {
        if (records.Count == 0)
        {
            return NoData(name, type, TimeSpan.Zero, authenticated);
        }

        uint ttl = uint.MaxValue;
        foreach (var record in records)
        {
            ttl = Math.Min(ttl, record.Ttl);
        }

        return new DnsAnswer(name, type, DnsStatus.Found, records, TimeSpan.FromSeconds(ttl), authenticated);
    }

    public static DnsAnswer NxDomain(string name, DnsRecordType type, TimeSpan negativeTtl, bool authenticated = false) =>
        new(name, type, DnsStatus.NxDomain, [], negativeTtl, authenticated);

    public static DnsAnswer NoData(string name, DnsRecordType type, TimeSpan negativeTtl, bool authenticated = false) =>
        new(name, type, DnsStatus.NoData, [], negativeTtl, authenticated);

    public static DnsAnswer Failure(string name, DnsRecordType type, DnsStatus status, string error) =>
        new(name, type, status, [], TimeSpan.Zero, false, error);
}
