using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Outbox;
using Parley.Core.Settings;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Spf;

namespace Parley.Core.Reports;

/// <summary>
/// The ways Parley's own mail for a domain leaves, as the route planner chooses them (<see cref="RoutePlanner"/>): each
/// relay it would use, or direct delivery from this server's public IP. A source IP is Parley's own when it is that IP, a
/// relay's address, or an address the relay's SPF include authorizes (check_host on the include, as include: evaluates).
/// </summary>
public sealed class OwnRoutes(ParleyDbContext db, SettingsService settings, IDnsResolver dns, TimeProvider clock)
{
    public async Task<OwnRouteMatcher> ForDomainAsync(string domain, CancellationToken cancellationToken)
    {
        var relays = await db.OutgoingServers.AsNoTracking().OrderBy(s => s.Priority).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        var sending = (await db.SendingDomains.AsNoTracking().Select(d => d.Name).ToListAsync(cancellationToken)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var alias = await settings.GetAliasDomainAsync(cancellationToken) ?? domain;
        var decision = RoutePlanner.Choose("postmaster@" + domain, relays, sending, alias);
        var host = await settings.GetHostSettingsAsync(cancellationToken);
        var publicIp = InternetAddress.PublicOrNull(host.PublicIp);

        var routes = new List<OwnRoute>();
        if (decision.Relays.Count == 0)
        {
            if (publicIp is not null)
            {
                routes.Add(new OwnRoute($"direct delivery from this server ({publicIp})", [publicIp], null));
            }
        }

        foreach (var relay in decision.Relays.Select(r => r.Server))
        {
            var addresses = new List<IPAddress>();
            if (IPAddress.TryParse(relay.Host, out var literal))
            {
                addresses.Add(literal);
            }
            else if (DnsName.TryNormalize(relay.Host, out var name))
            {
                var a = await dns.QueryAAsync(name, cancellationToken);
                var aaaa = await dns.QueryAaaaAsync(name, cancellationToken);
                addresses.AddRange(a.RecordsOf<DnsAddressRecord>().Concat(aaaa.RecordsOf<DnsAddressRecord>()).Select(r => r.Address));
            }

            // A relay on this machine or its network reaches receivers from the public address (as the doctor assumes).
            if (InternetAddress.IsPrivateHost(relay.Host) && publicIp is not null)
            {
                addresses.Add(publicIp);
            }

            routes.Add(new OwnRoute($"relay \"{relay.Name}\"", addresses, string.IsNullOrWhiteSpace(relay.SpfInclude) ? null : relay.SpfInclude.Trim()));
        }

        return new OwnRouteMatcher(routes, new SpfEvaluator(dns, clock));
    }
}

/// <summary>One route: its name for people, the addresses it sends from, and the SPF include that authorizes it.</summary>
public sealed record OwnRoute(string Name, IReadOnlyList<IPAddress> Addresses, string? SpfInclude);

/// <summary>Matches source IPs of a report against Parley's routes.</summary>
public sealed class OwnRouteMatcher(IReadOnlyList<OwnRoute> routes, SpfEvaluator spf)
{
    private readonly Dictionary<IPAddress, string?> _matched = [];

    public IReadOnlyList<OwnRoute> Routes => routes;

    /// <summary>How the IP is Parley's own ("relay \"Mailgun\" (SPF include:mailgun.org)"), or null.</summary>
    public async Task<string?> MatchAsync(IPAddress ip, CancellationToken cancellationToken)
    {
        if (!_matched.TryGetValue(ip, out var match))
        {
            _matched[ip] = match = await FindAsync(ip, cancellationToken);
        }

        return match;
    }

    private async Task<string?> FindAsync(IPAddress ip, CancellationToken cancellationToken)
    {
        foreach (var route in routes)
        {
            if (route.Addresses.Contains(ip))
            {
                return route.Name;
            }
        }

        foreach (var route in routes.Where(r => r.SpfInclude is not null))
        {
            var result = await spf.CheckHostAsync(ip, route.SpfInclude!, "postmaster@" + route.SpfInclude, route.SpfInclude!, cancellationToken);
            if (result.Verdict == SpfVerdict.Pass)
            {
                return $"{route.Name} (authorized by its SPF include:{route.SpfInclude})";
            }
        }

        return null;
    }
}
