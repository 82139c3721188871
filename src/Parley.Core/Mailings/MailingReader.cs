using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;

namespace Parley.Core.Mailings;

/// <summary>
/// Reads mailings with their counts, and their recipients with each one's state: a recipient's own state until it is
/// queued, then its outbox row's (the one place delivery states live), so the counts never tell another story.
/// </summary>
public sealed class MailingReader(ParleyDbContext db, IEnumerable<IMailingAudience> audiences)
{
    public async Task<MailingSummary> GetAsync(long id, CancellationToken cancellationToken)
    {
        var mailing = await db.Mailings.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken)
            ?? throw new NotFoundException($"Mailing {id}");
        return (await SummariesAsync([mailing], cancellationToken))[0];
    }

    /// <summary>Newest first.</summary>
    public async Task<(List<MailingSummary> Page, int Total)> ListAsync(int skip, int take, CancellationToken cancellationToken)
    {
        var total = await db.Mailings.CountAsync(cancellationToken);
        var page = await db.Mailings.AsNoTracking().OrderByDescending(m => m.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
        return (await SummariesAsync(page, cancellationToken), total);
    }

    /// <param name="state">Only recipients in this state (a recipient state or a delivery state, lower case); null for all.</param>
    public async Task<(List<RecipientView> Page, int Total)> RecipientsAsync(long mailingId, string? state, int skip, int take, CancellationToken cancellationToken)
    {
        if (!await db.Mailings.AnyAsync(m => m.Id == mailingId, cancellationToken))
        {
            throw new NotFoundException($"Mailing {mailingId}");
        }
        var rows = from r in db.MailingRecipients.AsNoTracking()
                   where r.MailingId == mailingId
                   join o in db.Outbox.AsNoTracking() on r.OutboxItemId equals (long?)o.Id into delivery
                   from o in delivery.DefaultIfEmpty()
                   select new { r, Delivery = (DeliveryState?)o.State, SentAt = (DateTimeOffset?)o.SentAt };
        if (!string.IsNullOrWhiteSpace(state))
        {
            if (Enum.TryParse<RecipientState>(state, ignoreCase: true, out var own) && own != RecipientState.Queued)
            {
                rows = rows.Where(x => x.r.State == own);
            }
            else if (Enum.TryParse<DeliveryState>(state, ignoreCase: true, out var delivered))
            {
                rows = rows.Where(x => x.r.State == RecipientState.Queued && x.Delivery == delivered);
            }
            else
            {
                throw new InvalidInputException("state", $"Unknown state \"{state}\". States: queued, sent, deferred, failed, bounced, suppressed, skipped, cancelled.");
            }
        }
        var total = await rows.CountAsync(cancellationToken);
        var page = await rows.OrderBy(x => x.r.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500)).ToListAsync(cancellationToken);
        return (page.Select(x => new RecipientView(x.r.Id, x.r.RecordType, x.r.RecordId, x.r.Address, x.r.Language,
            StateOf(x.r.State, x.Delivery), x.r.Detail, x.r.ChatterMessageId, x.SentAt, x.r.UnsubscribedAt, x.r.ComplainedAt, x.r.RepliedAt)).ToList(), total);
    }

    private static string StateOf(RecipientState own, DeliveryState? delivery) =>
        (own == RecipientState.Queued && delivery is { } d ? d.ToString() : own.ToString()).ToLowerInvariant();

    private async Task<List<MailingSummary>> SummariesAsync(IReadOnlyList<Mailing> mailings, CancellationToken cancellationToken)
    {
        var ids = mailings.Select(m => m.Id).ToList();
        var templateIds = mailings.Select(m => m.TemplateId).Distinct().ToList();
        var templates = await db.Templates.AsNoTracking().Where(t => templateIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var serverIds = mailings.Select(m => m.OutgoingServerId).OfType<long>().Distinct().ToList();
        var servers = await db.OutgoingServers.AsNoTracking().Where(s => serverIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        var counts = await CountsAsync(ids, cancellationToken);
        var summaries = new List<MailingSummary>(mailings.Count);
        foreach (var mailing in mailings)
        {
            var c = counts.GetValueOrDefault(mailing.Id, MailingCounts.None);
            // Before sending, the total is who would get it now; while queuing, who was there when it began.
            var total = mailing.State is MailingState.Draft or MailingState.Scheduled
                ? await AudienceSizeAsync(mailing, cancellationToken)
                : Math.Max(mailing.Total, c.Total);
            summaries.Add(new MailingSummary(mailing, templates.GetValueOrDefault(mailing.TemplateId, $"template #{mailing.TemplateId} (deleted)"),
                mailing.OutgoingServerId is { } s ? servers.GetValueOrDefault(s, $"server #{s} (deleted)") : null, c with { Total = total }));
        }
        return summaries;
    }

    private async Task<int> AudienceSizeAsync(Mailing mailing, CancellationToken cancellationToken) =>
        audiences.FirstOrDefault(a => a.RecordType == mailing.RecordType) is { } audience
            ? await audience.CountAsync(MailingService.FilterOf(mailing), cancellationToken)
            : 0;

    private async Task<Dictionary<long, MailingCounts>> CountsAsync(List<long> ids, CancellationToken cancellationToken)
    {
        var groups = await (from r in db.MailingRecipients.AsNoTracking()
                            where ids.Contains(r.MailingId)
                            join o in db.Outbox.AsNoTracking() on r.OutboxItemId equals (long?)o.Id into delivery
                            from o in delivery.DefaultIfEmpty()
                            group r by new { r.MailingId, r.State, Delivery = (DeliveryState?)o.State } into g
                            select new { g.Key.MailingId, g.Key.State, g.Key.Delivery, Count = g.Count() }).ToListAsync(cancellationToken);
        var flags = await db.MailingRecipients.AsNoTracking().Where(r => ids.Contains(r.MailingId)).GroupBy(r => r.MailingId)
            .Select(g => new
            {
                MailingId = g.Key,
                Unsubscribed = g.Count(r => r.UnsubscribedAt != null),
                Complained = g.Count(r => r.ComplainedAt != null),
                Replied = g.Count(r => r.RepliedAt != null),
            }).ToListAsync(cancellationToken);
        var result = new Dictionary<long, MailingCounts>();
        foreach (var id in ids)
        {
            int Of(RecipientState state, DeliveryState? delivery = null) =>
                groups.Where(g => g.MailingId == id && g.State == state && (delivery is null || g.Delivery == delivery)).Sum(g => g.Count);
            var flag = flags.FirstOrDefault(f => f.MailingId == id);
            var bounced = Of(RecipientState.Queued, DeliveryState.Bounced);
            var delivered = Of(RecipientState.Queued, DeliveryState.Sent);
            result[id] = new MailingCounts(
                Total: groups.Where(g => g.MailingId == id).Sum(g => g.Count),
                Queued: Of(RecipientState.Queued, DeliveryState.Queued),
                Sent: delivered + bounced,
                Delivered: delivered,
                Deferred: Of(RecipientState.Queued, DeliveryState.Deferred),
                Failed: Of(RecipientState.Queued, DeliveryState.Failed),
                Bounced: bounced,
                Suppressed: Of(RecipientState.Suppressed),
                Skipped: Of(RecipientState.Skipped),
                Cancelled: Of(RecipientState.Cancelled),
                Unsubscribed: flag?.Unsubscribed ?? 0,
                Complained: flag?.Complained ?? 0,
                Replied: flag?.Replied ?? 0);
        }
        return result;
    }
}
