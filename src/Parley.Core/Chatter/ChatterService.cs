using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Attachments;
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
    Replies replies,
    IOptions<OutboxOptions> outboxOptions,
    TimeProvider clock)
{
    public const int MaxBodyLength = 1_000_000;

    /// <summary>Newest first; <paramref name="beforeId"/> pages back through long timelines.</summary>
    /// <remarks>A deleted contact's kept timeline is read too (ADR 0026); nothing can be posted to it.</remarks>
    public async Task<List<ChatterMessage>> ListAsync(RecordRef record, long? beforeId, int take, CancellationToken cancellationToken)
    {
        if (!(record.Type == RecordDirectory.ContactType && await db.DeletedContacts.AnyAsync(d => d.Id == record.Id && d.TimelineKept, cancellationToken)))
        {
            await records.GetAsync(record, cancellationToken);
        }

        return await db.Messages.AsNoTracking()
            .Where(m => m.RecordType == record.Type && m.RecordId == record.Id && (beforeId == null || m.Id < beforeId))
            .OrderByDescending(m => m.Id)
            .Take(Math.Clamp(take, 1, 500))
            .ToListAsync(cancellationToken);
    }

    public async Task<ChatterMessage> PostAsync(RecordRef record, ComposeRequest request, ActingUser user, CancellationToken cancellationToken) =>
        request.Kind switch
        {
            MessageKind.Note => await PostNoteAsync(record, request.Body, user, cancellationToken),
            MessageKind.Email => await QueueEmailAsync(record, request, user, cancellationToken),
            _ => throw new InvalidInputException("kind", "Only \"email\" and \"note\" can be posted."),
        };

    public async Task<ChatterMessage> PostNoteAsync(RecordRef record, string? body, ActingUser user, CancellationToken cancellationToken)
    {
        await records.GetAsync(record, cancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new InvalidInputException("body", "A note needs some text.");
        }

        if (body.Length > MaxBodyLength)
        {
            throw new InvalidInputException("body", "The note is too long.");
        }

        var note = ChatterEntries.Note(record, user, body.Trim(), clock.GetUtcNow());
        db.Messages.Add(note);
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(record, note.Id);
        return note;
    }

    public async Task<ChatterMessage> QueueEmailAsync(RecordRef record, ComposeRequest request, ActingUser user, CancellationToken cancellationToken)
    {
        var view = await records.GetAsync(record, cancellationToken);
        if (request.ReplyTo is { } answered)
        {
            var original = await replies.OriginalAsync(record, answered, cancellationToken);
            request = request with
            {
                To = request.To is { Count: > 0 } given && given.Any(a => !string.IsNullOrWhiteSpace(a)) ? given
                    : Replies.SenderAddress(original) is { } sender ? [sender] : request.To,
                Subject = string.IsNullOrWhiteSpace(request.Subject) && request.TemplateId is null ? Replies.Subject(original.Subject) : request.Subject,
            };
            var answering = await PartsAsync(view, request, cancellationToken);
            return await QueueAsync(record, view, request, answering is null ? null : answering with { Thread = Replies.Thread(original) }, user, cancellationToken);
        }
        return await QueueAsync(record, view, request, await PartsAsync(view, request, cancellationToken), user, cancellationToken);
    }

    private async Task<ChatterMessage> QueueAsync(RecordRef record, RecordView view, ComposeRequest request, EmailParts? parts, ActingUser user, CancellationToken cancellationToken)
    {
        var aliasDomain = await settings.GetAliasDomainAsync(cancellationToken)
            ?? throw new InvalidInputException("aliasDomain", "Set the alias domain in Settings first: replies come back to it.");

        var (subject, body) = await ContentAsync(record, view, request, user, cancellationToken);
        ChatterMessage message;
        if (parts is null)
        {
            message = await stager.StageAsync(view, subject, body, user, aliasDomain, null, cancellationToken);
            // One SaveChanges is one transaction: the message, its MIME and its outbox rows exist together or not at all.
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var staged = await stager.StageEmailAsync(view, subject, body, user, aliasDomain, null, parts, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            message = staged.Message;
            // The files are listed from the MIME as sent, so a download gives exactly the bytes that left.
            using var sent = new MemoryStream(message.RawMime!.Content);
            var mime = await MimeKit.MimeMessage.LoadAsync(sent, cancellationToken);
            db.Attachments.AddRange(AttachmentExtractor.Find(mime, message.Id, message.RawMimeId!.Value));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        outbox.Notify();
        events.Publish(record, message.Id);
        return message;
    }

    /// <summary>
    /// The email's own recipients and files, checked (every address valid and not suppressed, the files within the
    /// size limit); null when it has none and goes to the record's address as it always did.
    /// </summary>
    private async Task<EmailParts?> PartsAsync(RecordView view, ComposeRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var to = Addresses("to", request.To, errors);
        var cc = Addresses("cc", request.Cc, errors);
        if (to.Count == 0)
        {
            if (view.Email is null)
            {
                errors["record"] = [$"{view.Title} has no email address: add a recipient (To)."];
            }
            else
            {
                to = request.To is null && request.Cc is null && request.Attachments.Count == 0 ? to : [view.Email];
            }
        }
        var files = Files(request.Attachments, errors);
        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        var everyone = (to.Count == 0 ? [view.Email!] : to).Concat(cc).Select(a => a.ToLowerInvariant()).Distinct().ToList();
        // An unsubscribe stops mailings, not the conversation: only a hard bounce, a complaint or an admin's entry stop this.
        var suppressed = (await db.Suppressions.AsNoTracking().Where(s => everyone.Contains(s.Address)).ToListAsync(cancellationToken))
            .Where(s => Suppression.SuppressionService.BlocksTransactional(s.Reason)).ToList();
        if (suppressed.Count > 0)
        {
            var s = suppressed[0];
            var field = to.Count == 0 || to.Contains(s.Address, StringComparer.OrdinalIgnoreCase) ? (request.To is { Count: > 0 } ? "to" : "record") : "cc";
            throw new InvalidInputException(field,
                $"{s.Address} is on the suppression list ({s.Detail}), so Parley will not email it. Remove it from the suppression list first if the address works again.");
        }
        return to.Count == 0 ? null : new EmailParts(to, cc, files);
    }

    private static List<string> Addresses(string field, IReadOnlyList<string>? given, Dictionary<string, string[]> errors)
    {
        var valid = new List<string>();
        foreach (var raw in given ?? [])
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            if (EmailAddress.Normalize(raw) is { } address)
            {
                valid.Add(address);
            }
            else
            {
                errors[field] = [$"\"{raw.Trim()}\" is not an email address."];
            }
        }
        if (valid.Count > 50)
        {
            errors[field] = ["An email goes to at most 50 addresses here; use a mailing for more."];
        }

        return valid.Distinct().ToList();
    }

    private List<OutboundAttachment> Files(IReadOnlyList<OutgoingAttachment> given, Dictionary<string, string[]> errors)
    {
        var limit = outboxOptions.Value.MaxAttachmentBytes;
        var total = given.Sum(f => (long)f.Content.Length);
        if (total > limit)
        {
            errors["attachments"] = [$"The attachments come to {Megabytes(total)}; an email may carry at most {Megabytes(limit)} of attachments."];
            return [];
        }
        if (given.Count > AttachmentExtractor.MaxPerMessage)
        {
            errors["attachments"] = [$"An email carries at most {AttachmentExtractor.MaxPerMessage} files."];
        }

        var files = new List<OutboundAttachment>();
        for (var i = 0; i < given.Count; i++)
        {
            var f = given[i];
            var type = string.IsNullOrWhiteSpace(f.ContentType) ? "application/octet-stream" : f.ContentType.Trim().ToLowerInvariant();
            if (!MimeKit.ContentType.TryParse(type, out var parsed) || parsed.MediaType is "multipart" or "message")
            {
                errors[$"attachments[{i}].contentType"] = [$"\"{f.ContentType}\" is not a content type for a file, such as application/pdf."];
                continue;
            }
            files.Add(new OutboundAttachment(AttachmentExtractor.SafeFileName(f.FileName, parsed.MimeType, i), parsed.MimeType, f.Content));
        }
        return files;
    }

    private static string Megabytes(long bytes) => $"{bytes / 1024d / 1024d:0.#} MB";

    private async Task<(string Subject, string Body)> ContentAsync(RecordRef record, RecordView view, ComposeRequest request, ActingUser user, CancellationToken cancellationToken)
    {
        if (request.TemplateId is { } templateId)
        {
            var template = await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, cancellationToken)
                ?? throw new InvalidInputException("templateId", $"Template {templateId} does not exist.");
            if (template.RecordType != record.Type)
            {
                throw new InvalidInputException("templateId", $"Template \"{template.Name}\" is for {template.RecordType} records, not {record.Type}.");
            }
            // Text typed in the composer wins over the template's, so a user can adjust before sending.
            var rendered = await renderer.RenderAsync(
                string.IsNullOrWhiteSpace(request.Subject) ? template.Subject : request.Subject,
                string.IsNullOrWhiteSpace(request.Body) ? template.Body : request.Body, view, user, cancellationToken);
            return (rendered.Subject, rendered.Body);
        }
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Subject))
        {
            errors["subject"] = ["An email needs a subject."];
        }

        if (string.IsNullOrWhiteSpace(request.Body))
        {
            errors["body"] = ["An email needs a body."];
        }
        else if (request.Body.Length > MaxBodyLength)
        {
            errors["body"] = ["The body is too long."];
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        return (request.Subject!.Trim(), request.Body!);
    }
}
