using Microsoft.EntityFrameworkCore;
using Parley.Core.Common;
using Parley.Core.Data;
using Parley.Core.Identity;
using Parley.Core.Records;

namespace Parley.Core.Templates;

/// <summary>
/// Stores templates (checking their syntax, and that every name they use exists for their record type, before saving)
/// and previews them against a real record.
/// </summary>
public sealed class TemplateService(ParleyDbContext db, RecordDirectory records, TemplateRenderer renderer, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Mailings.MailingOptions> mailingOptions, FromOverrideCheck fromCheck)
{
    private string DefaultLanguage => mailingOptions.Value.DefaultLanguage.ToLowerInvariant();

    public Task<List<MailTemplate>> ListAsync(string? recordType, CancellationToken cancellationToken) =>
        db.Templates.AsNoTracking().Where(t => recordType == null || t.RecordType == recordType).OrderBy(t => t.Name).ToListAsync(cancellationToken);

    public async Task<MailTemplate> GetAsync(long id, CancellationToken cancellationToken) =>
        await db.Templates.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new NotFoundException($"Template {id}");

    public async Task<MailTemplate> CreateAsync(TemplateInput input, CancellationToken cancellationToken)
    {
        await ValidateAsync(input, cancellationToken);
        var (fromName, fromAddress) = await fromCheck.CheckAsync(input.FromName, input.FromAddress, cancellationToken);
        var now = clock.GetUtcNow();
        var template = new MailTemplate
        {
            Name = input.Name!.Trim(),
            RecordType = input.RecordType!,
            Subject = input.Subject!,
            Body = input.Body!,
            FromName = fromName,
            FromAddress = fromAddress,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Templates.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        return template;
    }

    public async Task<MailTemplate> UpdateAsync(long id, TemplateInput input, CancellationToken cancellationToken)
    {
        var template = await GetAsync(id, cancellationToken);
        await ValidateAsync(input, cancellationToken);
        (template.FromName, template.FromAddress) = await fromCheck.CheckAsync(input.FromName, input.FromAddress, cancellationToken);
        template.Name = input.Name!.Trim();
        template.RecordType = input.RecordType!;
        template.Subject = input.Subject!;
        template.Body = input.Body!;
        template.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return template;
    }

    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        db.Templates.Remove(await GetAsync(id, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <param name="language">The translation to render; null: the one in the record's language, else the template's own text.</param>
    public async Task<RenderedTemplate> PreviewAsync(long templateId, long recordId, ActingUser user, CancellationToken cancellationToken, string? language = null)
    {
        var template = await GetAsync(templateId, cancellationToken);
        var record = await records.GetAsync(new RecordRef(template.RecordType, recordId), cancellationToken);
        var asked = LanguageTag.Normalize(language) is { } given && given != DefaultLanguage ? given : null;
        var wanted = language is not null ? asked : LanguageTag.Normalize(record.Fields.GetValueOrDefault("language") as string);
        var translation = wanted is null ? null
            : await db.TemplateTranslations.AsNoTracking().FirstOrDefaultAsync(t => t.TemplateId == templateId && t.Language == wanted, cancellationToken);
        if (asked is not null && translation is null)
        {
            throw new InvalidInputException("language", $"Template \"{template.Name}\" has no \"{asked}\" translation.");
        }

        return translation is null
            ? await renderer.RenderAsync(template.Subject, template.Body, record, user, cancellationToken)
            : await renderer.RenderAsync(translation.Subject, translation.Body, record, user, cancellationToken);
    }

    public Task<List<TemplateTranslation>> TranslationsAsync(long templateId, CancellationToken cancellationToken) =>
        db.TemplateTranslations.AsNoTracking().Where(t => t.TemplateId == templateId).OrderBy(t => t.Language).ToListAsync(cancellationToken);

    /// <summary>Adds or replaces the template's text in one more language, checked as the template itself is.</summary>
    public async Task<TemplateTranslation> SetTranslationAsync(long templateId, string? language, string? subject, string? body, CancellationToken cancellationToken)
    {
        var template = await GetAsync(templateId, cancellationToken);
        var tag = LanguageTag.Normalize(language);
        if (tag is null || !LanguageTag.IsValid(tag))
        {
            throw new InvalidInputException("language", $"\"{language}\" is not a language tag: write it like en, fr or pt-br.");
        }

        await ValidateAsync(new TemplateInput(template.Name, template.RecordType, subject, body), cancellationToken);
        var row = await db.TemplateTranslations.FirstOrDefaultAsync(t => t.TemplateId == templateId && t.Language == tag, cancellationToken);
        if (row is null)
        {
            row = new TemplateTranslation { TemplateId = templateId, Language = tag, Subject = subject!, Body = body! };
            db.TemplateTranslations.Add(row);
        }
        row.Subject = subject!;
        row.Body = body!;
        row.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }

    public async Task DeleteTranslationAsync(long templateId, string language, CancellationToken cancellationToken)
    {
        var tag = LanguageTag.Normalize(language);
        var row = await db.TemplateTranslations.FirstOrDefaultAsync(t => t.TemplateId == templateId && t.Language == tag, cancellationToken)
            ?? throw new NotFoundException($"The \"{language}\" translation of template {templateId}");
        db.TemplateTranslations.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Renders unsaved text (the editor's live preview) against a record.</summary>
    public async Task<RenderedTemplate> PreviewDraftAsync(TemplateInput input, long recordId, ActingUser user, CancellationToken cancellationToken)
    {
        await ValidateSyntaxAsync(input, cancellationToken);
        var record = await records.GetAsync(new RecordRef(input.RecordType!, recordId), cancellationToken);
        return await renderer.RenderAsync(input.Subject!, input.Body!, record, user, cancellationToken);
    }

    /// <summary>Syntax, then a render against a sample record, so a template past a limit whatever the record is never saved.</summary>
    private async Task ValidateAsync(TemplateInput input, CancellationToken cancellationToken)
    {
        var sample = await ValidateSyntaxAsync(input, cancellationToken);
        var errors = await renderer.FindBoundErrorsAsync(input.Subject!, input.Body!, sample, cancellationToken);
        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }
    }

    /// <summary>Checks the text against the record type's fields (built in or admin-defined); returns that type's sample record.</summary>
    private async Task<RecordView> ValidateSyntaxAsync(TemplateInput input, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors["name"] = ["Please give the template a name."];
        }

        var sample = string.IsNullOrWhiteSpace(input.RecordType) ? null : await records.SampleAsync(input.RecordType, cancellationToken);
        if (sample is null)
        {
            errors["recordType"] = [$"Unknown record type \"{input.RecordType}\". Known types: {string.Join(", ", await records.AllTypesAsync(cancellationToken))}."];
        }

        if (string.IsNullOrWhiteSpace(input.Subject))
        {
            errors["subject"] = ["Please enter a subject."];
        }

        if (string.IsNullOrWhiteSpace(input.Body))
        {
            errors["body"] = ["Please enter a body."];
        }

        foreach (var (field, source) in new[] { ("subject", input.Subject), ("body", input.Body) })
        {
            if (errors.ContainsKey(field))
            {
                continue;
            }

            try
            {
                var parsed = TemplateRenderer.Parse(field, source!);
                if (errors.ContainsKey("recordType"))
                {
                    continue;
                }

                if (UnknownNames(field, parsed, source!, sample!.Fields.Keys) is { } unknown)
                {
                    errors[field] = [unknown];
                }
            }
            catch (InvalidInputException e) { errors[field] = [.. e.Errors[field]]; }
        }
        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        return sample!;
    }

    /// <summary>Every name the text uses that the record type does not have, with where it is; null when there is none.</summary>
    private static string? UnknownNames(string field, Fluid.IFluidTemplate parsed, string source, IEnumerable<string> fields)
    {
        var unknown = TemplateNameCheck.Find(parsed, source, fields);
        if (unknown.Count == 0)
        {
            return null;
        }

        var names = string.Join(", ", unknown.Select(u => u.Places.Count == 0
            ? $"\"{u.Name}\""
            : $"\"{u.Name}\" ({string.Join("; ", u.Places.Select(p => $"line {p.Line}, column {p.Column}"))})"));
        return $"The {field} uses {(unknown.Count == 1 ? "a name that does" : "names that do")} not exist: {names}. " +
            $"Fields you can use: {string.Join(", ", fields.Select(k => "record." + k))}, user.name, user.email.";
    }
}
