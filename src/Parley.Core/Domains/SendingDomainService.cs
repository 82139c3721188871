using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Outbox;
using Parley.Core.Settings;
using Parley.Deliverability.Dns;

namespace Parley.Core.Domains;

/// <summary>
/// Registers the domains Parley sends as, generates and rotates their DKIM keys, and says which
/// DNS records this installation's setup needs.
/// </summary>
public sealed class SendingDomainService(ParleyDbContext db, SecretProtector secrets, SettingsService settings, TimeProvider clock)
{
    public Task<List<SendingDomain>> ListAsync(CancellationToken cancellationToken) =>
        db.SendingDomains.AsNoTracking().Include(d => d.Keys).OrderBy(d => d.Name).ToListAsync(cancellationToken);

    public async Task<SendingDomain?> FindAsync(string domain, CancellationToken cancellationToken)
    {
        var name = Normalize(domain);
        return name is null ? null : await db.SendingDomains.Include(d => d.Keys).FirstOrDefaultAsync(d => d.Name == name, cancellationToken);
    }

    public async Task<SendingDomain> GetAsync(string domain, CancellationToken cancellationToken) =>
        await FindAsync(domain, cancellationToken) ?? throw new NotFoundException($"The sending domain \"{domain}\"");

    /// <summary>Registers a domain with a fresh RSA-2048 and Ed25519 key; registering twice returns the existing one.</summary>
    public async Task<SendingDomain> RegisterAsync(string? domain, CancellationToken cancellationToken)
    {
        var name = Normalize(domain) ?? throw new InvalidInputException("name", "Please enter a domain name such as example.com.");
        var existing = await FindAsync(name, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var now = clock.GetUtcNow();
        var entity = new SendingDomain { Name = name, CreatedAt = now };
        entity.Keys.Add(NewKey(DkimAlgorithm.RsaSha256, now, []));
        entity.Keys.Add(NewKey(DkimAlgorithm.Ed25519Sha256, now, entity.Keys.Select(k => k.Selector)));
        db.SendingDomains.Add(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another node registered it at the same moment (unique name): use theirs.
            db.ChangeTracker.Clear();
            return await FindAsync(name, cancellationToken) ?? throw new InvalidOperationException($"Could not register {name}.");
        }
        return entity;
    }

    /// <summary>New keys under new selectors; the old keys are retired (kept, so their records can stay published a while).</summary>
    public async Task<SendingDomain> RotateKeysAsync(string domain, CancellationToken cancellationToken)
    {
        var entity = await GetAsync(domain, cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var key in entity.Keys.Where(k => k.IsActive))
        {
            key.RetiredAt = now;
        }

        var taken = entity.Keys.Select(k => k.Selector).ToList();
        foreach (var algorithm in new[] { DkimAlgorithm.RsaSha256, DkimAlgorithm.Ed25519Sha256 })
        {
            var key = NewKey(algorithm, now, taken);
            taken.Add(key.Selector);
            entity.Keys.Add(key);
        }
        await db.SaveChangesAsync(cancellationToken);
        return entity;
    }

    /// <summary>The records this installation needs for <paramref name="domain"/>: DKIM per selector, SPF, DMARC, and MX for the alias domain.</summary>
    public async Task<List<DnsRecordSuggestion>> RecordsAsync(string domain, CancellationToken cancellationToken)
    {
        var entity = await GetAsync(domain, cancellationToken);
        var host = await settings.GetHostSettingsAsync(cancellationToken);
        var aliasDomain = await settings.GetAliasDomainAsync(cancellationToken);
        var relays = await db.OutgoingServers.AsNoTracking().OrderBy(s => s.Priority).ToListAsync(cancellationToken);
        var records = new List<DnsRecordSuggestion>();

        foreach (var key in entity.Keys.OrderBy(k => k.RetiredAt.HasValue).ThenBy(k => k.Algorithm))
        {
            records.Add(new DnsRecordSuggestion("TXT", $"{key.Selector}._domainkey.{entity.Name}", key.RecordValue,
                key.IsActive
                    ? $"DKIM public key ({(key.Algorithm == DkimAlgorithm.RsaSha256 ? "RSA-2048" : "Ed25519")}) that Parley signs {entity.Name} mail with."
                    : $"Retired DKIM key (rotated {key.RetiredAt:yyyy-MM-dd}); keep it published a few days, then remove it."));
        }

        // SPF covers the envelope (bounce) domain, which is the alias domain when one is set.
        var spfDomain = aliasDomain ?? entity.Name;
        var (mechanisms, gaps) = SpfMechanisms(relays, host);
        records.Add(new DnsRecordSuggestion("TXT", spfDomain, $"v=spf1 {string.Join(' ', mechanisms.Append("~all"))}",
            $"SPF: allows Parley's route to send with envelope addresses at {spfDomain}.{gaps}" +
            " If the domain already has an SPF record, merge these terms into it: a domain must have exactly one."));

        records.Add(new DnsRecordSuggestion("TXT", $"_dmarc.{entity.Name}",
            $"v=DMARC1; p=none; rua=mailto:dmarc-reports@{aliasDomain ?? entity.Name}",
            "DMARC: start with p=none and watch the reports; when every source passes, move to p=quarantine, then p=reject."));
        var reportsDomain = aliasDomain ?? entity.Name;
        if (!Parley.Deliverability.Dns.DnsName.IsSameOrSubdomain(reportsDomain, entity.Name) && !Parley.Deliverability.Dns.DnsName.IsSameOrSubdomain(entity.Name, reportsDomain))
        {
            records.Add(new DnsRecordSuggestion("TXT", $"{entity.Name}._report._dmarc.{reportsDomain}", "v=DMARC1",
                $"DMARC report authorization (RFC 7489 §7.1): {reportsDomain} agrees to receive {entity.Name}'s reports; without it receivers do not send them there."));
        }
        records.Add(new DnsRecordSuggestion("TXT", $"_smtp._tls.{entity.Name}", $"v=TLSRPTv1; rua=mailto:tls-reports@{reportsDomain}",
            "TLS-RPT (RFC 8460): senders report TLS failures delivering to this domain to Parley, which shows them with the DMARC reports."));

        if (aliasDomain is not null)
        {
            records.Add(new DnsRecordSuggestion("MX", aliasDomain, $"10 {host.Hostname ?? "<this server's public host name>"}.",
                $"MX: replies and bounces to {aliasDomain} reach Parley's SMTP listener."));
        }
        return records;
    }

    /// <summary>
    /// The SPF terms for Parley's route: each relay's include (or its address when no include is
    /// known), or this server's own address for direct delivery. Unknowns become a visible
    /// placeholder plus advice, never a record that silently authorizes nothing. A private or
    /// loopback address is never a term: receivers only see the public address mail leaves from.
    /// </summary>
    private static (List<string> Mechanisms, string Gaps) SpfMechanisms(List<OutgoingServer> relays, HostSettings host)
    {
        const string Placeholder = "ip4:<this server's public IP>";
        var mechanisms = new List<string>();
        var gaps = "";
        var publicIp = InternetAddress.PublicOrNull(host.PublicIp);
        var privateSetting = host.PublicIp is { } set && publicIp is null && System.Net.IPAddress.TryParse(set, out _)
            ? $" {set} is a private address (Settings → public IP), which no receiver sees: enter the address this server reaches the internet from."
            : "";
        if (relays.Count == 0)
        {
            if (publicIp is not null)
            {
                mechanisms.Add(IpTerm(publicIp));
            }
            else if (privateSetting.Length > 0)
            {
                mechanisms.Add(Placeholder);
                gaps = privateSetting;
            }
            else if (host.Hostname is { } hostname)
            {
                mechanisms.Add("a:" + hostname);
            }
            else
            {
                mechanisms.Add(Placeholder);
                gaps = " Set this server's public IP (or host name) in Settings to get the exact term.";
            }
        }
        foreach (var relay in relays)
        {
            if (!string.IsNullOrEmpty(relay.SpfInclude))
            {
                mechanisms.Add("include:" + relay.SpfInclude);
            }
            else if (InternetAddress.IsPrivateHost(relay.Host))
            {
                // On this machine or its network: mail reaches receivers from the network's public address.
                mechanisms.Add(publicIp is null ? Placeholder : IpTerm(publicIp));
                gaps += $" Relay \"{relay.Name}\" is on a private address ({relay.Host}), which no receiver sees; " +
                    (publicIp is null
                        ? privateSetting.Length > 0 ? privateSetting.TrimStart() : "set the public IP it sends out from in Settings to get the exact term."
                        : $"mail from it reaches them from this server's public IP ({publicIp}, from Settings).") +
                    " If it hands mail to a provider, enter the provider's SPF include on the relay in Settings instead.";
            }
            else if (System.Net.IPAddress.TryParse(relay.Host, out var address))
            {
                mechanisms.Add(IpTerm(address));
            }
            else
            {
                mechanisms.Add("a:" + relay.Host);
                gaps += $" For relay \"{relay.Name}\", a:{relay.Host} is a guess: if your provider documents an SPF include, enter it on the relay in Settings.";
            }
        }
        return (mechanisms.Distinct().ToList(), gaps);
    }

    private static string IpTerm(System.Net.IPAddress address) =>
        (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ip6:" : "ip4:") + address;

    private DkimKey NewKey(DkimAlgorithm algorithm, DateTimeOffset now, IEnumerable<string> taken)
    {
        var pair = DkimKeyGenerator.Generate(algorithm);
        var stem = $"{(algorithm == DkimAlgorithm.RsaSha256 ? "prsa" : "ped")}{now:yyyyMMdd}";
        var selector = stem;
        for (var i = 2; taken.Contains(selector); i++)
        {
            selector = $"{stem}n{i}";
        }

        return new DkimKey
        {
            Selector = selector,
            Algorithm = algorithm,
            ProtectedPrivateKey = secrets.Protect(Convert.ToBase64String(pair.PrivateKeyPkcs8))!,
            PublicKey = pair.PublicKeyBase64,
            CreatedAt = now,
        };
    }

    private static string? Normalize(string? domain) => EmailAddress.NormalizeDomain(domain);
}
