namespace Parley.Deliverability.Dns;

/// <summary>The record types deliverability checks ask for. Values are the IANA type codes.</summary>
public enum DnsRecordType
{
    A = 1,
    Cname = 5,
    Ptr = 12,
    Mx = 15,
    Txt = 16,
    Aaaa = 28,
}
