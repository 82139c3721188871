using System.Net;

namespace Parley.Deliverability.Dns;

/// <summary>One resource record from an answer. <see cref="Name"/> is the owner (after any CNAME), lower case, no trailing dot.</summary>
public abstract record DnsRecord(string Name, uint Ttl);

/// <summary>An A or AAAA record.</summary>
public sealed record DnsAddressRecord(string Name, uint Ttl, IPAddress Address) : DnsRecord(Name, Ttl);

/// <summary>
/// A TXT record. <see cref="Strings"/> keeps the raw character-strings (each at most 255 bytes on the
/// wire) so that splits can be analysed; <see cref="Text"/> is their concatenation with no separator,
/// which is how SPF, DKIM and DMARC read them.
/// </summary>
public sealed record DnsTxtRecord(string Name, uint Ttl, IReadOnlyList<string> Strings) : DnsRecord(Name, Ttl)
{
    private string? _text;

    public string Text => _text ??= string.Concat(Strings);
}

/// <summary>An MX record. <see cref="Exchange"/> is empty for a null MX (RFC 7505, exchange ".").</summary>
public sealed record DnsMxRecord(string Name, uint Ttl, ushort Preference, string Exchange) : DnsRecord(Name, Ttl);

/// <summary>A PTR record; <see cref="Target"/> without trailing dot.</summary>
public sealed record DnsPtrRecord(string Name, uint Ttl, string Target) : DnsRecord(Name, Ttl);

/// <summary>A CNAME record; <see cref="Target"/> without trailing dot.</summary>
public sealed record DnsCnameRecord(string Name, uint Ttl, string Target) : DnsRecord(Name, Ttl);
