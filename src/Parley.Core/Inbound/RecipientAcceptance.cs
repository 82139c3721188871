using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Settings;

namespace Parley.Core.Inbound;

/// <summary>What RCPT time decides about one recipient address.</summary>
public enum RecipientVerdict
{
    Accepted,
    /// <summary>No local part and domain (only a bare postmaster may omit the domain).</summary>
    BadSyntax,
    /// <summary>No alias domain is set yet: nothing can be accepted, but it may be soon.</summary>
    NoAliasDomain,
    /// <summary>Not the alias domain: accepting it would make Parley an open relay.</summary>
    OtherDomain,
    /// <summary>On the alias domain but nothing there (<see cref="AliasDomainAddresses"/>), and the catchall policy refuses it.</summary>
    Unknown,
}

/// <summary>
/// Which recipients the SMTP listener accepts, asked at RCPT time: only addresses on the alias domain, so the listener is
/// never an open relay. With the catchall policy "reject", an address must also exist there
/// (<see cref="AliasDomainAddresses"/>), so the sender learns at once, while still connected.
/// </summary>
public sealed class RecipientAcceptance(IServiceScopeFactory scopes, TimeProvider clock)
{
    /// <summary>RCPT is a hot path; a changed setting or alias applies within this.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private Snapshot? _cached;

    public async ValueTask<RecipientVerdict> CheckAsync(string address, CancellationToken cancellationToken)
    {
        // RFC 5321 §4.5.1: "RCPT TO:<Postmaster>" without a domain must be accepted, whatever the settings.
        if (address.Equals(AliasDomainAddresses.Postmaster, StringComparison.OrdinalIgnoreCase))
        {
            return RecipientVerdict.Accepted;
        }

        if (address.LastIndexOf('@') <= 0)
        {
            return RecipientVerdict.BadSyntax;
        }

        var (addresses, catchall, _) = await CurrentAsync(cancellationToken);
        if (addresses.Domain is null)
        {
            return RecipientVerdict.NoAliasDomain;
        }

        if (addresses.LocalPartOf(address) is null)
        {
            return RecipientVerdict.OtherDomain;
        }

        if (catchall != CatchallPolicy.Reject || addresses.Knows(address))
        {
            return RecipientVerdict.Accepted;
        }
        // Special inboxes read the database in a scope of their own; only an address nothing else knows gets this far.
        await using var scope = scopes.CreateAsyncScope();
        return await addresses.InSpecialInboxAsync(address, scope.ServiceProvider.GetRequiredService<SpecialInboxes>().InOrder, cancellationToken)
            ? RecipientVerdict.Accepted
            : RecipientVerdict.Unknown;
    }

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var cached = _cached;
        var now = clock.GetUtcNow();
        // Not kept while no alias domain is set, so the first one set applies at once.
        if (cached is not null && cached.Addresses.Domain is not null && now - cached.At < CacheFor)
        {
            return cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var addresses = await AliasDomainAddresses.ReadAsync(services.GetRequiredService<ParleyDbContext>(), services.GetRequiredService<SettingsService>(),
            services.GetRequiredService<ReplyAddressProvider>(), cancellationToken);
        var rules = await services.GetRequiredService<InboundSettingsService>().GetAsync(cancellationToken);
        return _cached = new Snapshot(addresses, rules.Catchall, now);
    }

    private sealed record Snapshot(AliasDomainAddresses Addresses, CatchallPolicy Catchall, DateTimeOffset At);
}
