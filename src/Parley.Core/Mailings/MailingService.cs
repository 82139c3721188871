using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Settings;
using Parley.Core.Templates;

namespace Parley.Core.Mailings;

/// <summary>
/// Queues one template to many contacts. Each email is rendered for its contact and carries
/// List-Unsubscribe with one-click unsubscribe (RFC 8058); suppressed addresses are skipped and
/// reported. Contacts are processed in chunks, each chunk one transaction, so memory stays flat
/// and a failure leaves whole chunks queued, never half an email.
/// </summary>
public sealed class MailingService(
    ParleyDbContext db,
    TemplateRenderer renderer,
    SettingsService settings,
    ReplyAddressProvider tokens,
    OutboxSignal outbox,
    DatabaseWriteGate writeGate,
    TimeProvider clock)
{
    /// <summary>Contacts per transaction: small enough that the delivery worker's commits are not kept waiting for long.</summary>
    public const int ChunkSize = 100;

    /// <param name="publicBaseUrl">Where unsubscribe links point (this server as the internet reaches it).</param>
    public async Task<MailingResult> SendAsync(MailingRequest request, ActingUser user, string publicBaseUrl, CancellationToken ct)
    {
        if (request.TemplateId is not { } templateId) throw new InvalidInputException("templateId", "Choose the template to send.");
        var template = await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct)
            ?? throw new InvalidInputException("templateId", $"Template {templateId} does not exist.");
        if (template.RecordType != RecordDirectory.ContactType)
            throw new InvalidInputException("templateId", $"Template \"{template.Name}\" is for {template.RecordType} records; mailings go to contacts.");
        var aliasDomain = await settings.GetAliasDomainAsync(ct)
            ?? throw new InvalidInputException("aliasDomain", "Set the alias domain in Settings first: replies and unsubscribes come back to it.");
        var parsed = ParsedTemplate.Of(template.Subject, template.Body);
        var unsubscribe = new UnsubscribeToken(await tokens.GetSignerAsync(ct));
        var baseUrl = publicBaseUrl.TrimEnd('/');

        var replies = await tokens.GetAsync(ct);
        var queued = 0;
        var skipped = new List<MailingSkip>();
        long lastId = 0;
        while (true)
        {
            var chunk = await Recipients(request).Where(c => c.Id > lastId).OrderBy(c => c.Id).Take(ChunkSize).ToListAsync(ct);
            if (chunk.Count == 0) break;
            lastId = chunk[^1].Id;
            var emails = chunk.Select(c => c.Email).ToList();
            var suppressed = (await db.Suppressions.AsNoTracking().Where(s => emails.Contains(s.Address)).Select(s => s.Address).ToListAsync(ct))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            // Rendering and composing are pure CPU work: done in parallel, then added to the unit of work in order.
            var now = clock.GetUtcNow();
            var built = new (StagedEmail? Email, MailingSkip? Skip)[chunk.Count];
            await Parallel.ForAsync(0, chunk.Count, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount },
                async (i, token) => built[i] = await BuildAsync(chunk[i], suppressed, parsed, unsubscribe, replies, user, aliasDomain, baseUrl, now, token));
            var staged = new List<StagedEmail>(chunk.Count);
            foreach (var (email, skip) in built)
            {
                if (skip is not null) skipped.Add(skip);
                else staged.Add(email!);
            }
            await using (await writeGate.EnterAsync(db, ct))
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await EmailStager.InsertAsync(db, staged, ct);
                await tx.CommitAsync(ct);
            }
            queued += staged.Count;
            outbox.Notify();
        }
        if (queued == 0 && skipped.Count == 0)
            throw new InvalidInputException("contactIds", "No contact matches this mailing.");
        return new MailingResult(queued, skipped);
    }

    private async Task<(StagedEmail?, MailingSkip?)> BuildAsync(Contact contact, HashSet<string> suppressed, ParsedTemplate template,
        UnsubscribeToken unsubscribe, ReplyAddress replies, ActingUser user, string aliasDomain, string baseUrl, DateTimeOffset now, CancellationToken ct)
    {
        if (suppressed.Contains(contact.Email)) return (null, new MailingSkip(contact.Id, contact.Email, "The address is on the suppression list."));
        var view = RecordDirectory.ViewOf(contact);
        RenderedTemplate rendered;
        try
        {
            rendered = await renderer.RenderAsync(template, view, user, ct);
        }
        catch (InvalidInputException e)
        {
            return (null, new MailingSkip(contact.Id, contact.Email, e.Message));
        }
        var token = unsubscribe.For(contact.Email);
        return (EmailStager.Build(view, rendered.Subject, rendered.Body, user, aliasDomain, replies.For(view.Ref, aliasDomain), null,
        [
            new("List-Unsubscribe", $"<{baseUrl}/unsubscribe/{token}>, <mailto:unsubscribe+{token}@{aliasDomain}>"),
            new("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            new("Precedence", "bulk"),
        ], now), null);
    }

    private IQueryable<Contact> Recipients(MailingRequest request)
    {
        IQueryable<Contact> contacts = db.Contacts.AsNoTracking();
        if (request.ContactIds is { Count: > 0 } ids) contacts = contacts.Where(c => ids.Contains(c.Id));
        if (!string.IsNullOrWhiteSpace(request.Tag))
        {
            var tag = request.Tag.Trim().ToLowerInvariant();
            contacts = contacts.Where(c => ("," + c.Tags + ",").Contains("," + tag + ","));
        }
        return contacts;
    }
}
