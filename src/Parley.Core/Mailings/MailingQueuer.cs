using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Core.Outbox;
using Parley.Core.Settings;

namespace Parley.Core.Mailings;

/// <summary>
/// Queues a sending mailing's recipients, in chunks of <see cref="ChunkSize"/> records, each chunk one transaction: per
/// record a <see cref="MailingRecipient"/> row, and (unless suppressed or unrenderable) its chatter message, raw MIME and
/// outbox row, due at its paced time. Memory stays flat, a failure leaves whole chunks, and the queuing resumes after the
/// last record written (a crash, another node). Each chunk checks, in its own transaction, that the mailing is still
/// sending and still this node's to queue, so a cancel stops the queuing at the next chunk.
/// </summary>
public sealed partial class MailingQueuer(
    ParleyDbContext db,
    IEnumerable<IMailingAudience> audiences,
    MailingComposer composer,
    SettingsService settings,
    ReplyAddressProvider tokens,
    Templates.TemplateAttachmentService attachments,
    OutboxSignal outbox,
    MailingProgress progress,
    DatabaseWriteGate writeGate,
    IOptions<MailingOptions> options,
    TimeProvider clock,
    ILogger<MailingQueuer> logger)
{
    /// <summary>Records per transaction: small enough that the delivery worker's commits are not kept waiting for long.</summary>
    public const int ChunkSize = 100;

    /// <summary>How long the queuing stays this node's without a chunk written; another node takes over after it.</summary>
    private static readonly TimeSpan QueueLease = TimeSpan.FromMinutes(2);

    /// <returns>False when another node is queuing it, or it is no longer sending.</returns>
    public async Task<bool> QueueAsync(long mailingId, string leaseOwner, CancellationToken cancellationToken)
    {
        if (!await RenewLeaseAsync(mailingId, leaseOwner, cancellationToken))
        {
            return false;
        }
        var mailing = await db.Mailings.AsNoTracking().FirstAsync(m => m.Id == mailingId, cancellationToken);
        MailingRun run;
        try
        {
            run = await RunOfAsync(mailing, cancellationToken);
        }
        catch (InvalidInputException e)
        {
            await StopAsync(mailing, $"Stopped before sending: {e.Message}", cancellationToken);
            return false;
        }
        var audience = AudienceFor(audiences, mailing.RecordType);
        var filter = MailingService.FilterOf(mailing);
        var lastId = await db.MailingRecipients.Where(r => r.MailingId == mailingId).MaxAsync(r => (long?)r.RecordId, cancellationToken) ?? 0;
        var queued = await db.MailingRecipients.CountAsync(r => r.MailingId == mailingId && r.State == RecipientState.Queued, cancellationToken);
        var pace = new MailingPace(mailing, mailing.Total);
        while (true)
        {
            var page = await audience.PageAsync(filter, lastId, ChunkSize, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }
            lastId = page[^1].View.Ref.Id;
            var rows = await BuildChunkAsync(run, page, pace, queued, cancellationToken);
            if (!await WriteChunkAsync(mailingId, leaseOwner, rows, cancellationToken))
            {
                LogQueuingStopped(mailingId);
                return false;
            }
            queued += rows.Count(r => r.Email is not null);
            outbox.Notify();
            progress.Moved(mailingId);
        }
        await FinishQueuingAsync(mailingId, leaseOwner, cancellationToken);
        progress.Moved(mailingId);
        return true;
    }

    public static IMailingAudience AudienceFor(IEnumerable<IMailingAudience> audiences, string recordType) =>
        audiences.FirstOrDefault(a => a.RecordType == recordType)
        ?? throw new InvalidInputException("recordType", $"Mailings cannot go to {recordType} records.");

    /// <summary>What every email of the mailing shares; an error when it cannot be sent at all (template gone, no alias domain).</summary>
    public async Task<MailingRun> RunOfAsync(Mailing mailing, CancellationToken cancellationToken)
    {
        var template = await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == mailing.TemplateId, cancellationToken)
            ?? throw new InvalidInputException("templateId", $"Template {mailing.TemplateId} no longer exists.");
        var aliasDomain = await settings.GetAliasDomainAsync(cancellationToken)
            ?? throw new InvalidInputException("aliasDomain", "Set the alias domain in Settings first: replies and unsubscribes come back to it.");
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == mailing.CreatedByUserId, cancellationToken)
            ?? throw new InvalidInputException("user", "The user who made this mailing no longer exists.");
        var content = await MailingContent.LoadAsync(db, template, options.Value.DefaultLanguage.ToLowerInvariant(), cancellationToken);
        // A template's From override (checked against the routes when it was saved) stands in for the user's.
        var sender = new ActingUser(user.Id, user.Name, user.Email, user.IsAdmin);
        var from = sender with { Name = template.FromName ?? user.Name, Email = template.FromAddress ?? user.Email };
        return new MailingRun(mailing, content, sender, from, aliasDomain,
            await tokens.GetAsync(cancellationToken), new UnsubscribeToken(await tokens.GetSignerAsync(cancellationToken)),
            (await attachments.LoadAsync(template.Id, cancellationToken)).Select(a => new OutboundAttachment(a.FileName, a.ContentType, a.Content)).ToList());
    }

    private sealed record ChunkRow(MailingRecipient Recipient, StagedEmail? Email);

    private async Task<List<ChunkRow>> BuildChunkAsync(MailingRun run, IReadOnlyList<AudienceMember> page, MailingPace pace, int queuedBefore,
        CancellationToken cancellationToken)
    {
        var emails = page.Select(m => m.View.Email!.ToLowerInvariant()).ToList();
        var suppressed = (await db.Suppressions.AsNoTracking().Where(s => emails.Contains(s.Address)).ToListAsync(cancellationToken))
            .ToDictionary(s => s.Address, StringComparer.OrdinalIgnoreCase);
        var now = clock.GetUtcNow();
        // Rendering and composing are pure CPU work: done in parallel, then written in order.
        var composed = new ComposedEmail?[page.Count];
        await Parallel.ForAsync(0, page.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (i, token) => composed[i] = suppressed.ContainsKey(emails[i]) ? null : await composer.ComposeAsync(run, page[i], now, token));
        var rows = new List<ChunkRow>(page.Count);
        var index = queuedBefore;
        for (var i = 0; i < page.Count; i++)
        {
            var recipient = new MailingRecipient
            {
                MailingId = run.Mailing.Id,
                RecordType = page[i].View.Ref.Type,
                RecordId = page[i].View.Ref.Id,
                Address = emails[i],
                CreatedAt = now,
            };
            if (suppressed.TryGetValue(emails[i], out var entry))
            {
                recipient.State = RecipientState.Suppressed;
                recipient.Detail = TextLimit.Truncate($"On the suppression list: {entry.Detail ?? entry.Reason.ToString()}", 1000);
                rows.Add(new ChunkRow(recipient, null));
                continue;
            }
            var result = composed[i]!;
            recipient.Language = result.Language;
            if (result.Email is not { } email)
            {
                recipient.State = RecipientState.Skipped;
                recipient.Detail = TextLimit.Truncate(result.Error, 1000);
                rows.Add(new ChunkRow(recipient, null));
                continue;
            }
            var due = pace.SlotOf(index++, now);
            email.Delivery.NextAttemptAt = due;
            email.Delivery.CreatedAt = due;
            recipient.State = RecipientState.Queued;
            rows.Add(new ChunkRow(recipient, email));
        }
        return rows;
    }

    /// <returns>False when the mailing is no longer sending, or no longer this node's to queue: nothing of the chunk is written.</returns>
    private async Task<bool> WriteChunkAsync(long mailingId, string leaseOwner, List<ChunkRow> rows, CancellationToken cancellationToken)
    {
        var staged = rows.Select(r => r.Email).OfType<StagedEmail>().ToList();
        await using (await writeGate.EnterAsync(db, cancellationToken))
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            // First, so that on PostgreSQL a cancel waits for this chunk and then cancels it too.
            var leaseUntil = clock.GetUtcNow() + QueueLease;
            var ours = await db.Mailings.Where(m => m.Id == mailingId && m.State == MailingState.Sending && m.QueueLeaseOwner == leaseOwner)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.QueueLeaseUntil, leaseUntil), cancellationToken);
            if (ours == 0)
            {
                return false;
            }
            await EmailStager.InsertAsync(db, staged, cancellationToken);
            foreach (var row in rows)
            {
                if (row.Email is { } email)
                {
                    row.Recipient.ChatterMessageId = email.Message.Id;
                    row.Recipient.OutboxItemId = email.Delivery.Id;
                }
            }
            await RowWriter.InsertAsync(db, rows.Select(r => r.Recipient).ToList(), cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }
        return true;
    }

    /// <summary>Takes (or renews) the right to queue the mailing: it is sending, not fully queued, and nobody else's lease runs.</summary>
    private async Task<bool> RenewLeaseAsync(long mailingId, string leaseOwner, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + QueueLease;
        await using (await writeGate.EnterAsync(db, cancellationToken))
        {
            return await db.Mailings.Where(m => m.Id == mailingId && m.State == MailingState.Sending && m.QueuedAt == null
                    && (m.QueueLeaseUntil == null || m.QueueLeaseUntil < now || m.QueueLeaseOwner == leaseOwner))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.QueueLeaseOwner, leaseOwner).SetProperty(m => m.QueueLeaseUntil, until), cancellationToken) == 1;
        }
    }

    private async Task FinishQueuingAsync(long mailingId, string leaseOwner, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var total = await db.MailingRecipients.CountAsync(r => r.MailingId == mailingId, cancellationToken);
        await using (await writeGate.EnterAsync(db, cancellationToken))
        {
            await db.Mailings.Where(m => m.Id == mailingId && m.State == MailingState.Sending && m.QueueLeaseOwner == leaseOwner)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.QueuedAt, now).SetProperty(m => m.Total, total)
                    .SetProperty(m => m.QueueLeaseOwner, (string?)null).SetProperty(m => m.QueueLeaseUntil, (DateTimeOffset?)null), cancellationToken);
        }
    }

    /// <summary>A mailing that cannot be sent at all ends cancelled, with the reason on it.</summary>
    private async Task StopAsync(Mailing mailing, string reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using (await writeGate.EnterAsync(db, cancellationToken))
        {
            await db.Mailings.Where(m => m.Id == mailing.Id && m.State == MailingState.Sending)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MailingState.Cancelled).SetProperty(m => m.FinishedAt, now)
                    .SetProperty(m => m.Note, TextLimit.Truncate(reason, 2000)), cancellationToken);
        }
        LogMailingStopped(mailing.Id, reason);
        progress.Moved(mailing.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Mailing {MailingId}: queuing stopped (cancelled, or queued by another node)")]
    private partial void LogQueuingStopped(long mailingId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailing {MailingId} stopped: {Reason}")]
    private partial void LogMailingStopped(long mailingId, string reason);
}
