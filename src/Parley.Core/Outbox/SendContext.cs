using Parley.Core.Chatter;
using Parley.Core.Domains;
using Parley.Core.Settings;

namespace Parley.Core.Outbox;

/// <summary>
/// What every send of a batch reads once: the alias domain, the relays by priority, the sending domains (with their
/// DKIM keys) and the bounce address.
/// </summary>
public sealed record SendContext(
    string? AliasDomain, IReadOnlyList<OutgoingServer> Relays, IReadOnlyDictionary<string, SendingDomain> SendingDomains, BounceAddress Bounces)
{
    public IReadOnlySet<string> SendingDomainNames { get; } = SendingDomains.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Reads the <see cref="SendContext"/>, registering the alias domain as a sending domain the first time.</summary>
public sealed class SendContextReader(
    SettingsService settings, SendingDomainService domains, OutgoingServerService servers, ReplyAddressProvider addresses)
{
    private static readonly SemaphoreSlim RegisteringAliasDomain = new(1, 1);

    public async Task<SendContext> ReadAsync(CancellationToken cancellationToken)
    {
        var aliasDomain = await settings.GetAliasDomainAsync(cancellationToken);
        // The alias domain always signs: it is the From of every rewritten email. One batch loop registers it, the
        // others wait and find it (racing would be handled, but logs a failed INSERT).
        if (aliasDomain is not null && await domains.FindAsync(aliasDomain, cancellationToken) is null)
        {
            await RegisteringAliasDomain.WaitAsync(cancellationToken);
            try { await domains.RegisterAsync(aliasDomain, cancellationToken); }
            finally { RegisteringAliasDomain.Release(); }
        }
        // Brings the EHLO name in step with Settings → Host name, also when another node changed it.
        await settings.GetHostSettingsAsync(cancellationToken);
        var relays = await servers.ListAsync(cancellationToken);
        var sending = (await domains.ListAsync(cancellationToken)).ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        return new SendContext(aliasDomain, relays, sending, await addresses.GetBounceAsync(cancellationToken));
    }
}
