using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Inbound;
using Parley.Core.Settings;
using Parley.Smtp.Listener;

namespace Parley.Mail;

/// <summary>
/// Parley accepts mail only for its alias domain: anything else is refused at RCPT time with
/// 550 5.7.1, so the listener is never an open relay. With the catchall policy "reject", an address on
/// the alias domain must also be known — an alias, a valid reply or bounce address, or postmaster@ (or a bare postmaster) —
/// and anything else is refused with 550 5.1.1 while the sender is still connected.
/// </summary>
public sealed class AliasDomainRecipientPolicy(IServiceScopeFactory scopes, ReplyAddressProvider addresses, TimeProvider clock) : IRecipientPolicy
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private static readonly string[] AlwaysAccepted = ["postmaster", "abuse", "notifications"];
    private Snapshot? _cached;

    public async ValueTask<RecipientDecision> CheckRecipientAsync(SmtpSessionInfo session, string address, CancellationToken ct)
    {
        // RFC 5321 §4.5.1: "RCPT TO:<Postmaster>" without a domain must be accepted, whatever the settings.
        if (address.Equals("postmaster", StringComparison.OrdinalIgnoreCase)) return RecipientDecision.Accept;
        var at = address.LastIndexOf('@');
        if (at <= 0) return RecipientDecision.Reject(501, "5.1.3", $"<{address}>: Bad recipient address syntax");
        var domain = address[(at + 1)..].TrimEnd('.');
        var snapshot = await SnapshotAsync(ct);
        if (snapshot.Domain is null)
            return RecipientDecision.Reject(451, "4.3.0", "This Parley has no alias domain configured yet; try again later");
        if (!string.Equals(domain, snapshot.Domain, StringComparison.OrdinalIgnoreCase))
            return RecipientDecision.RelayDenied(address);
        if (snapshot.Catchall != CatchallPolicy.Reject) return RecipientDecision.Accept;

        var local = address[..at].ToLowerInvariant();
        if (AlwaysAccepted.Contains(local) || snapshot.Aliases.Contains(local)) return RecipientDecision.Accept;
        if ((await addresses.GetAsync(ct)).Parse(address) is not null) return RecipientDecision.Accept;
        if ((await addresses.GetBounceAsync(ct)).Parse(address) is not null) return RecipientDecision.Accept;
        return RecipientDecision.Reject(550, "5.1.1", $"<{address}>: no such address here (unknown alias)");
    }

    /// <summary>Cached briefly: RCPT is a hot path, and a changed setting applies within seconds.</summary>
    private async Task<Snapshot> SnapshotAsync(CancellationToken ct)
    {
        var cached = _cached;
        var now = clock.GetUtcNow();
        if (cached is not null && cached.Domain is not null && now - cached.At < CacheFor) return cached;
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var domain = await services.GetRequiredService<SettingsService>().GetAliasDomainAsync(ct);
        var rules = await services.GetRequiredService<InboundSettingsService>().GetAsync(ct);
        var aliases = rules.Catchall == CatchallPolicy.Reject
            ? (await services.GetRequiredService<ParleyDbContext>().Aliases.AsNoTracking().Select(a => a.LocalPart).ToListAsync(ct)).ToHashSet()
            : [];
        return _cached = new Snapshot(domain, rules.Catchall, aliases, now);
    }

    private sealed record Snapshot(string? Domain, CatchallPolicy Catchall, HashSet<string> Aliases, DateTimeOffset At);
}
