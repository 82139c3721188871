using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Domains;
using Parley.Core.Settings;
using Parley.Deliverability.Dkim;
using Parley.Deliverability.Dns;
using Parley.Deliverability.Doctor;

namespace Parley.Core.Doctor;

/// <summary>
/// The sending setup Parley really uses for a domain, and a note for each part that cannot be checked
/// because a setting is missing (those notes are "setup.*" info findings at the top of the report).
/// </summary>
public sealed record DoctorSetup(SendingSetup Setup, IReadOnlyList<Finding> Notes);

/// <summary>
/// Builds the <see cref="SendingSetup"/> from Parley's own configuration, the way the outbox sends:
/// through the relays when there are any (every relay uses the alias domain as envelope sender, so each
/// relay's SPF include must be in the alias domain's SPF record), else directly from this server's public
/// IP with its host name as EHLO; signed with the domain's active DKIM keys; bounces and replies on the
/// alias domain, received on this server's host name. The host name is the one Parley really uses
/// (<see cref="ServerName"/>), also when it is only this machine's name.
/// </summary>
public sealed class DoctorSetupBuilder(ParleyDbContext db, SettingsService settings, ServerName serverName)
{
    public async Task<DoctorSetup> BuildAsync(SendingDomain domain, CancellationToken cancellationToken)
    {
        var notes = new List<Finding>();
        var host = await settings.GetHostSettingsAsync(cancellationToken);
        var alias = await settings.GetAliasDomainAsync(cancellationToken);
        var relays = await db.OutgoingServers.AsNoTracking().OrderBy(s => s.Priority).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        var keys = domain.Keys.Count > 0 ? domain.Keys : await db.DkimKeys.AsNoTracking().Where(k => k.SendingDomainId == domain.Id).ToListAsync(cancellationToken);

        var routes = new List<SendingRoute>();
        var publicIp = InternetAddress.PublicOrNull(host.PublicIp);
        if (relays.Count > 0)
        {
            foreach (var relay in relays)
            {
                if (!string.IsNullOrWhiteSpace(relay.SpfInclude))
                {
                    routes.Add(SendingRoute.Relay(relay.SpfInclude.Trim()));
                }
                else if (InternetAddress.IsPrivateHost(relay.Host) && publicIp is not null)
                {
                    // A relay on this machine or its network reaches receivers from the public address; its EHLO is its own.
                    routes.Add(SendingRoute.Direct(publicIp, null));
                    notes.Add(new Finding("setup.relay-on-private-address", FindingSeverity.Info, $"Relay \"{relay.Name}\" is on a private address",
                        $"Parley sends through \"{relay.Name}\" ({relay.Host}), which no receiver sees, so the doctor checks this server's public IP ({publicIp}, from Settings) " +
                        "in its place. If the relay hands mail to a provider, enter the provider's SPF include with the outgoing server in Settings."));
                }
                else
                {
                    notes.Add(new Finding("setup.relay-without-spf-include", FindingSeverity.Info, $"Relay \"{relay.Name}\" has no SPF include",
                        $"Parley sends through \"{relay.Name}\" ({relay.Host}), but its SPF include is not set, so the doctor cannot check that SPF allows it. " +
                        "Enter the include your provider documents (for example _spf.provider.example) with the outgoing server in Settings" +
                        (InternetAddress.IsPrivateHost(relay.Host) ? ", or this server's public IP if the relay sends straight to the internet." : ".")));
                }
            }
        }
        else if (publicIp is not null)
        {
            routes.Add(SendingRoute.Direct(publicIp, serverName.Current));
        }
        else if (host.PublicIp is { Length: > 0 } ipText && IPAddress.TryParse(ipText, out _))
        {
            notes.Add(new Finding("setup.private-public-ip", FindingSeverity.Info, "The public IP in Settings is a private address",
                $"{ipText} is a private address, which no receiver sees, so the doctor cannot check SPF, reverse DNS and block lists for it. " +
                "Enter the address this server reaches the internet from in Settings."));
        }
        else
        {
            notes.Add(new Finding("setup.no-public-ip", FindingSeverity.Info, "Set this server's public IP in Settings to check SPF and PTR",
                "Without a relay Parley delivers directly from this server. Its public IP is not set, so the doctor cannot check that SPF allows it, nor its reverse DNS and block lists."));
        }

        if (alias is null)
        {
            notes.Add(new Finding("setup.no-alias-domain", FindingSeverity.Info, "Set the alias domain in Settings",
                $"Bounces and replies use the alias domain, which is also the envelope sender that SPF checks. Until it is set, SPF is checked on {domain.Name} and the MX is not checked."));
        }

        if (!serverName.IsChosen)
        {
            notes.Add(new Finding("setup.no-hostname", FindingSeverity.Info, "Set this server's host name in Settings",
                $"Parley greets and says EHLO as {serverName.Current}, this machine's name. The doctor compares the alias domain's MX with the host name Parley receives mail on, " +
                "which is not set, so that check is skipped."));
        }

        var active = keys.Where(k => k.IsActive).OrderBy(k => k.Algorithm).ToList();
        if (active.Count == 0)
        {
            notes.Add(new Finding("setup.no-dkim-key", FindingSeverity.Info, "No active DKIM key",
                $"{domain.Name} has no active DKIM key, so there is no selector to check. Rotate the keys on the Domains page to create new ones."));
        }

        var setup = new SendingSetup
        {
            Domain = domain.Name,
            Routes = routes,
            DkimSelectors = active.Select(k => new DkimSelectorSetup(k.Selector, k.PublicKey)).ToArray(),
            BounceDomain = alias,
            AliasDomain = alias,
            HostName = serverName.Current,
            HostAddress = publicIp,
            ReceivingHosts = serverName.IsChosen ? [serverName.Current] : [],
            // The same address the suggested DMARC record uses, so the doctor's fix and the Domains page agree.
            DmarcReportAddress = $"{Reports.ReportsInbox.DmarcLocalPart}@{alias ?? domain.Name}",
            TlsReportAddress = $"{Reports.ReportsInbox.TlsLocalPart}@{alias ?? domain.Name}",
        };
        return new DoctorSetup(setup, notes);
    }
}
