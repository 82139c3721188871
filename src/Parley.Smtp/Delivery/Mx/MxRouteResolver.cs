using System.Net;
using System.Net.Sockets;
using Parley.Deliverability.Dns;

namespace Parley.Smtp.Delivery.Mx;

/// <summary>
/// <see cref="IMxRouteResolver"/> over the DNS seam. Addresses of every MX host are looked up here (answers are
/// cached by the resolver), so a host without any address is dropped and a backup MX with a broken A record does
/// not fail the whole domain.
/// </summary>
public sealed class MxRouteResolver(IDnsResolver dns, Random? random = null) : IMxRouteResolver
{
    // RFC 5321 §5.1 lets a client stop after some hosts; Postfix tries 5 (smtp_mx_address_limit counts addresses).
    private const int MaxHosts = 10;

    private readonly Random _random = random ?? Random.Shared;
    private readonly Lock _gate = new();

    public async Task<MxRoute> ResolveAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (TryParseAddressLiteral(domain, out var literal))
        {
            return new MxRoute(domain, MxRouteStatus.Found, [new MxHost(domain, 0, [literal], IsImplicit: true)]);
        }

        if (!DnsName.TryNormalize(domain, out var name))
        {
            return MxRoute.Permanent(domain, "5.1.2", $"'{domain}' is not a valid domain name.");
        }

        var mx = await dns.QueryMxAsync(name, cancellationToken).ConfigureAwait(false);
        switch (mx.Status)
        {
            case DnsStatus.Found:
                return await FromMxAsync(name, mx.RecordsOf<DnsMxRecord>().ToList(), cancellationToken).ConfigureAwait(false);
            case DnsStatus.NoData:
                return await ImplicitMxAsync(name, cancellationToken).ConfigureAwait(false);
            case DnsStatus.NxDomain:
                return MxRoute.Permanent(name, "5.1.2", $"The domain {name} does not exist (DNS NXDOMAIN).");
            case DnsStatus.InvalidName:
                return MxRoute.Permanent(name, "5.1.2", $"'{name}' is not a valid domain name.");
            default:
                return MxRoute.Transient(name, $"The MX lookup for {name} failed ({mx.Status}{(mx.Error is null ? string.Empty : ": " + mx.Error)}); will retry.");
        }
    }

    private async Task<MxRoute> FromMxAsync(string domain, List<DnsMxRecord> records, CancellationToken cancellationToken)
    {
        // A null MX ("0 ."), RFC 7505: the domain declares it accepts no mail. It must stand alone; when
        // misconfigured next to real MX records we ignore it and use the others.
        var real = records.Where(r => r.Exchange.Length > 0).ToList();
        if (real.Count == 0)
        {
            return MxRoute.Permanent(domain, "5.1.10", $"The domain {domain} does not accept mail: it publishes a null MX record (RFC 7505).");
        }

        var ordered = real
            .GroupBy(r => r.Preference)
            .OrderBy(g => g.Key)
            .SelectMany(g => Shuffle(g.DistinctBy(r => r.Exchange).ToArray()))
            .Take(MaxHosts)
            .ToList();

        var hosts = new List<MxHost>(ordered.Count);
        var failures = new List<string>();
        foreach (var record in ordered)
        {
            var (addresses, failure) = await AddressesAsync(record.Exchange, cancellationToken).ConfigureAwait(false);
            if (addresses.Count > 0)
            {
                hosts.Add(new MxHost(record.Exchange, record.Preference, addresses));
            }
            else if (failure is not null)
            {
                failures.Add(failure);
            }
        }

        if (hosts.Count > 0)
        {
            return new MxRoute(domain, MxRouteStatus.Found, hosts);
        }

        var names = string.Join(", ", ordered.Select(r => r.Exchange));
        return failures.Count > 0
            ? MxRoute.Transient(domain, $"No address for the MX host(s) of {domain} ({names}): {string.Join("; ", failures)}; will retry.")
            : MxRoute.Permanent(domain, "5.1.2", $"The MX host(s) of {domain} ({names}) have no A or AAAA record.");
    }

    /// <summary>RFC 5321 §5.1: no MX, so the domain itself is the host, with preference 0.</summary>
    private async Task<MxRoute> ImplicitMxAsync(string domain, CancellationToken cancellationToken)
    {
        var (addresses, failure) = await AddressesAsync(domain, cancellationToken).ConfigureAwait(false);
        if (addresses.Count > 0)
        {
            return new MxRoute(domain, MxRouteStatus.Found, [new MxHost(domain, 0, addresses, IsImplicit: true)]);
        }

        return failure is not null
            ? MxRoute.Transient(domain, $"The domain {domain} has no MX and its address lookup failed ({failure}); will retry.")
            : MxRoute.Permanent(domain, "5.1.2", $"The domain {domain} has no MX record and no A or AAAA record: it cannot receive mail.");
    }

    /// <summary>A then AAAA. The failure text is set only when a lookup failed (not when it answered "none").</summary>
    private async Task<(IReadOnlyList<IPAddress> Addresses, string? Failure)> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        var a = await dns.QueryAAsync(host, cancellationToken).ConfigureAwait(false);
        var aaaa = await dns.QueryAaaaAsync(host, cancellationToken).ConfigureAwait(false);
        var addresses = a.RecordsOf<DnsAddressRecord>().Concat(aaaa.RecordsOf<DnsAddressRecord>()).Select(r => r.Address).Distinct().ToList();
        string? failure = null;
        if (addresses.Count == 0 && (a.IsTemporaryFailure || aaaa.IsTemporaryFailure))
        {
            var failed = a.IsTemporaryFailure ? a : aaaa;
            failure = $"{host} {failed.Type}: {failed.Status}";
        }

        return (addresses, failure);
    }

    private T[] Shuffle<T>(T[] items)
    {
        // Equal preferences share the load (RFC 5321 §5.1: "randomize").
        if (items.Length > 1)
        {
            lock (_gate)
            {
                _random.Shuffle(items);
            }
        }

        return items;
    }

    private static bool TryParseAddressLiteral(string domain, out IPAddress address)
    {
        address = IPAddress.None;
        if (domain.Length < 3 || domain[0] != '[' || domain[^1] != ']')
        {
            return false;
        }

        var inner = domain[1..^1];
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.TryParse(inner[5..], out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        return IPAddress.TryParse(inner, out address!) && address.AddressFamily == AddressFamily.InterNetwork;
    }
}
