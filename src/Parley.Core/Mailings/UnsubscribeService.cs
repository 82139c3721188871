using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Suppression;

namespace Parley.Core.Mailings;

/// <summary>One-click unsubscribe: the address goes on the suppression list and gets no more mail.</summary>
public sealed class UnsubscribeService(ParleyDbContext db, ReplyAddressProvider tokens, TimeProvider clock)
{
    /// <returns>The unsubscribed address, or null for an invalid link.</returns>
    public async Task<string?> UnsubscribeAsync(string token, CancellationToken ct)
    {
        var address = new UnsubscribeToken(await tokens.GetSignerAsync(ct)).Parse(token);
        if (address is null) return null;
        var key = SuppressionService.Key(address);
        if (!await db.Suppressions.AnyAsync(s => s.Address == key, ct))
        {
            db.Suppressions.Add(new SuppressedAddress
            {
                Address = key, Reason = SuppressionReason.Unsubscribe, Detail = "Unsubscribed with the link in a mailing", CreatedAt = clock.GetUtcNow(),
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Clicked twice at once: already unsubscribed.
            }
        }
        return address;
    }

    public async Task<string?> AddressOfAsync(string token, CancellationToken ct) =>
        new UnsubscribeToken(await tokens.GetSignerAsync(ct)).Parse(token);
}
