using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Core.Outbox;
using Parley.Core.Records;
using Parley.Core.Settings;
using Parley.Core.Templates;

namespace Parley.Core.Chatter;

/// <summary>
/// A record's timeline: reading it, posting internal notes, and queueing emails. An email and
/// its outbox row are written in one transaction, so a queued email is never lost.
/// </summary>
public sealed class ChatterService(
    ParleyDbContext db,
    RecordDirectory records,
    TemplateRenderer renderer,
    SettingsService settings,
    EmailStager stager,
    ChatterEvents events,
    OutboxSignal outbox,
    TimeProvider clock)
{
    public const int MaxBodyLength = 1_000_000;

    /// <summary>Newest first; <paramref name="beforeId"/> pages back through long timelines.</summary>
    public async Task<List<ChatterMessage>> ListAsync(RecordRef record, long? beforeId, int take, CancellationToken ct)
    {
        await records.GetAsync(record, ct);
        return await db.Messages.AsNoTracking()
            .Where(m => m.RecordType == record.Type && m.RecordId == record.Id && (beforeId == null || m.Id < beforeId))
            .OrderByDescending(m => m.Id)
            .Take(Math.Clamp(take, 1, 500))
            .ToListAsync(ct);
    }

    public async Task<ChatterMessage> PostAsync(RecordRef record, ComposeRequest request, ActingUser user, CancellationToken ct) =>
        request.Kind switch
        {
            MessageKind.Note => await PostNoteAsync(record, request.Body, user, ct),
            MessageKind.Email => await QueueEmailAsync(record, request, user, ct),
            _ => throw new InvalidInputException("kind", "Only \"email\" and \"note\" can be posted."),
        };

    public async Task<ChatterMessage> PostNoteAsync(RecordRef record, string? body, ActingUser user, CancellationToken ct)
    {
        await records.GetAsync(record, ct);
        if (string.IsNullOrWhiteSpace(body)) throw new InvalidInputException("body", "A note needs some text.");
        if (body.Length > MaxBodyLength) throw new InvalidInputException("body", "The note is too long.");
        var note = new ChatterMessage
        {
            RecordType = record.Type, RecordId = record.Id, Kind = MessageKind.Note,
            AuthorUserId = user.Id, AuthorName = user.Name, BodyText = body.Trim(), CreatedAt = clock.GetUtcNow(),
        };
        db.Messages.Add(note);
        await db.SaveChangesAsync(ct);
        events.Publish(record, note.Id);
        return note;
    }

    public async Task<ChatterMessage> QueueEmailAsync(RecordRef record, ComposeRequest request, ActingUser user, CancellationToken ct)
    {
        var view = await records.GetAsync(record, ct);
        if (view.Email is null) throw new InvalidInputException("record", $"{view.Title} has no email address.");
        var suppressedKey = view.Email.ToLowerInvariant();
        // An unsubscribe stops mailings, not the conversation: only a hard bounce, a complaint or an admin's entry stop this.
        if (await db.Suppressions.AsNoTracking().FirstOrDefaultAsync(s => s.Address == suppressedKey, ct) is { } suppressed
            && Suppression.SuppressionService.BlocksTransactional(suppressed.Reason))
            throw new InvalidInputException("record",
                $"{view.Email} is on the suppression list ({suppressed.Detail}), so Parley will not email it. Remove it from the suppression list first if the address works again.");
        var aliasDomain = await settings.GetAliasDomainAsync(ct)
            ?? throw new InvalidInputException("aliasDomain", "Set the alias domain in Settings first: replies come back to it.");

        var (subject, body) = await ContentAsync(record, view, request, user, ct);
        var message = await stager.StageAsync(view, subject, body, user, aliasDomain, null, ct);
        // One SaveChanges is one transaction: the message, its MIME and its outbox row exist together or not at all.
        await db.SaveChangesAsync(ct);
        outbox.Notify();
        events.Publish(record, message.Id);
        return message;
    }

    private async Task<(string Subject, string Body)> ContentAsync(RecordRef record, RecordView view, ComposeRequest request, ActingUser user, CancellationToken ct)
    {
        if (request.TemplateId is { } templateId)
        {
            var template = await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct)
                ?? throw new InvalidInputException("templateId", $"Template {templateId} does not exist.");
            if (template.RecordType != record.Type)
                throw new InvalidInputException("templateId", $"Template \"{template.Name}\" is for {template.RecordType} records, not {record.Type}.");
            // Text typed in the composer wins over the template's, so a user can adjust before sending.
            var rendered = await renderer.RenderAsync(
                string.IsNullOrWhiteSpace(request.Subject) ? template.Subject : request.Subject,
                string.IsNullOrWhiteSpace(request.Body) ? template.Body : request.Body, view, user, ct);
            return (rendered.Subject, rendered.Body);
        }
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Subject)) errors["subject"] = ["An email needs a subject."];
        if (string.IsNullOrWhiteSpace(request.Body)) errors["body"] = ["An email needs a body."];
        else if (request.Body.Length > MaxBodyLength) errors["body"] = ["The body is too long."];
        if (errors.Count > 0) throw new InvalidInputException(errors);
        return (request.Subject!.Trim(), request.Body!);
    }
}
