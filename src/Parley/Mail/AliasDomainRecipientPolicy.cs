using Parley.Core.Settings;
using Parley.Smtp.Listener;

namespace Parley.Mail;

/// <summary>
/// Parley accepts mail only for its alias domain: anything else is refused at RCPT time with
/// 550 5.7.1, so the listener is never an open relay.
/// </summary>
public sealed class AliasDomainRecipientPolicy(IServiceScopeFactory scopes, TimeProvider clock) : IRecipientPolicy
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private (string? Domain, DateTimeOffset At) _cached = (null, DateTimeOffset.MinValue);

    public async ValueTask<RecipientDecision> CheckRecipientAsync(SmtpSessionInfo session, string address, CancellationToken ct)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0) return RecipientDecision.Reject(501, "5.1.3", $"<{address}>: Bad recipient address syntax");
        var domain = address[(at + 1)..].TrimEnd('.');
        var alias = await AliasDomainAsync(ct);
        if (alias is null)
            return RecipientDecision.Reject(451, "4.3.0", "This Parley has no alias domain configured yet; try again later");
        return string.Equals(domain, alias, StringComparison.OrdinalIgnoreCase)
            ? RecipientDecision.Accept
            : RecipientDecision.RelayDenied(address);
    }

    /// <summary>Cached briefly: RCPT is a hot path, and a changed setting applies within seconds.</summary>
    private async Task<string?> AliasDomainAsync(CancellationToken ct)
    {
        var cached = _cached;
        var now = clock.GetUtcNow();
        if (cached.Domain is not null && now - cached.At < CacheFor) return cached.Domain;
        await using var scope = scopes.CreateAsyncScope();
        var domain = await scope.ServiceProvider.GetRequiredService<SettingsService>().GetAliasDomainAsync(ct);
        _cached = (domain, now);
        return domain;
    }
}
