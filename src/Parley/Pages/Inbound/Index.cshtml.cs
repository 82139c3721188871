using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Data;
using Parley.Core.Inbound;

namespace Parley.Pages.Inbound;

/// <summary>What arrived and could not be placed in a chatter: kept raw, for an admin to look at.</summary>
public sealed class IndexModel(ParleyDbContext db) : ParleyPageModel
{
    public List<InboundMessage> Items { get; private set; } = [];
    public Dictionary<InboundStatus, int> Counts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Counts = await db.Inbound.GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        Items = await db.Inbound.AsNoTracking()
            .Where(i => i.Status == InboundStatus.Unrouted || i.Status == InboundStatus.Failed)
            .OrderByDescending(i => i.Id).Take(200).ToListAsync(ct);
    }

    public async Task<IActionResult> OnGetRawAsync(long id, CancellationToken ct)
    {
        var raw = await db.Inbound.Where(i => i.Id == id).Select(i => i.RawMime!.Content).FirstOrDefaultAsync(ct);
        return raw is null ? NotFound() : File(raw, "message/rfc822", $"inbound-{id}.eml");
    }
}
