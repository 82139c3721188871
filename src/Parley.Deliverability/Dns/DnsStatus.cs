namespace Parley.Deliverability.Dns;

/// <summary>
/// How a lookup ended. SPF, DKIM and DMARC treat these differently: NXDOMAIN and NODATA are
/// answers ("void lookups"), the rest are failures that must become temperror, never "none".
/// </summary>
public enum DnsStatus
{
    /// <summary>At least one record of the asked type.</summary>
    Found,

    /// <summary>RCODE 3: the name does not exist.</summary>
    NxDomain,

    /// <summary>RCODE 0 with no record of the asked type: the name exists.</summary>
    NoData,

    /// <summary>RCODE 2 from the server, or a CNAME loop / over-long chain.</summary>
    ServerFailure,

    /// <summary>No answer within the configured timeout and retries.</summary>
    Timeout,

    /// <summary>Refused, malformed response, socket error, or any other failure.</summary>
    Error,

    /// <summary>The name cannot be put on the wire (empty label, label over 63, name over 253).</summary>
    InvalidName,
}
