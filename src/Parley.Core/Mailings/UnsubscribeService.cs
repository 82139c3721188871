using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Suppression;

namespace Parley.Core.Mailings;

/// <summary>Who an unsubscribe token stands for: the address, and the mailing recipient it came with (null for old links).</summary>
public sealed record UnsubscribeTarget(string Address, MailingRecipient? Recipient, string? MailingName);

/// <summary>
/// Unsubscribing, by the link (a click on the confirmation page, or a mail client's RFC 8058 one-click POST) or by mail to
/// the List-Unsubscribe address: the address goes on the suppression list at once (mailings skip it; transactional mail
/// still goes) and the mailing counts it. A forged, altered or expired token finds nobody, whatever the address.
/// </summary>
public sealed class UnsubscribeService(
    ParleyDbContext db, SuppressionService suppressions, ReplyAddressProvider tokens, MailingProgress progress, IOptions<MailingOptions> options,
    TimeProvider clock)
{
    /// <summary>Whom the token names, or null when it is malformed, forged, expired or names nobody Parley mailed.</summary>
    public async Task<UnsubscribeTarget?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        var claim = new UnsubscribeToken(await tokens.GetSignerAsync(cancellationToken)).Parse(token);
        if (claim is null)
        {
            return null;
        }
        if (claim.Address is { } address)
        {
            return new UnsubscribeTarget(address, null, null);
        }
        var mailing = await db.Mailings.AsNoTracking().Where(m => m.Id == claim.MailingId).Select(m => new { m.Name, m.StartedAt }).FirstOrDefaultAsync(cancellationToken);
        if (mailing?.StartedAt is not { } started || started + options.Value.UnsubscribeLinksValidFor < clock.GetUtcNow())
        {
            return null;
        }
        var recipient = await db.MailingRecipients.FirstOrDefaultAsync(r => r.MailingId == claim.MailingId && r.RecordId == claim.RecordId, cancellationToken);
        return recipient is null ? null : new UnsubscribeTarget(recipient.Address, recipient, mailing.Name);
    }

    /// <returns>The unsubscribed address, or null for a link that is not valid.</returns>
    public async Task<string?> UnsubscribeAsync(string? token, CancellationToken cancellationToken)
    {
        if (await FindAsync(token, cancellationToken) is not { } target)
        {
            return null;
        }
        await ApplyAsync(target, "with the link", cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Clicked twice at once: the other request suppressed the address.
        }
        if (target.Recipient is { } recipient)
        {
            progress.Moved(recipient.MailingId);
        }
        return target.Address;
    }

    /// <summary>Suppresses the address and marks the recipient unsubscribed; tracked, saved by the caller.</summary>
    /// <param name="how">"with the link", "by mail": how the detail on the suppression list tells it.</param>
    public async Task ApplyAsync(UnsubscribeTarget target, string how, CancellationToken cancellationToken)
    {
        var from = target.MailingName is { } name ? $" from the mailing \"{name}\"" : " from mailings";
        await suppressions.SuppressAsync(target.Address, SuppressionReason.Unsubscribe, $"Unsubscribed {how}{from}.", cancellationToken);
        if (target.Recipient is { UnsubscribedAt: null } recipient)
        {
            recipient.UnsubscribedAt = clock.GetUtcNow();
        }
    }
}
