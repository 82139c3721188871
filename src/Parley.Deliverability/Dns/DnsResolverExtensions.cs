using System.Net;
using System.Net.Sockets;

namespace Parley.Deliverability.Dns;

/// <summary>Typed shortcuts over <see cref="IDnsResolver.QueryAsync"/>.</summary>
public static class DnsResolverExtensions
{
    public static Task<DnsAnswer> QueryTxtAsync(this IDnsResolver resolver, string name, CancellationToken cancellationToken) =>
        resolver.QueryAsync(name, DnsRecordType.Txt, cancellationToken);

    public static Task<DnsAnswer> QueryMxAsync(this IDnsResolver resolver, string name, CancellationToken cancellationToken) =>
        resolver.QueryAsync(name, DnsRecordType.Mx, cancellationToken);

    public static Task<DnsAnswer> QueryAAsync(this IDnsResolver resolver, string name, CancellationToken cancellationToken) =>
        resolver.QueryAsync(name, DnsRecordType.A, cancellationToken);

    public static Task<DnsAnswer> QueryAaaaAsync(this IDnsResolver resolver, string name, CancellationToken cancellationToken) =>
        resolver.QueryAsync(name, DnsRecordType.Aaaa, cancellationToken);

    public static Task<DnsAnswer> QueryCnameAsync(this IDnsResolver resolver, string name, CancellationToken cancellationToken) =>
        resolver.QueryAsync(name, DnsRecordType.Cname, cancellationToken);

    /// <summary>A for IPv4 (and IPv4-mapped) addresses, AAAA for IPv6.</summary>
    public static Task<DnsAnswer> QueryAddressesAsync(this IDnsResolver resolver, string name, AddressFamily family, CancellationToken cancellationToken) =>
        resolver.QueryAsync(name, family == AddressFamily.InterNetworkV6 ? DnsRecordType.Aaaa : DnsRecordType.A, cancellationToken);

    public static Task<DnsAnswer> QueryPtrAsync(this IDnsResolver resolver, IPAddress address, CancellationToken cancellationToken) =>
        resolver.QueryAsync(DnsName.ReverseName(address), DnsRecordType.Ptr, cancellationToken);
}
