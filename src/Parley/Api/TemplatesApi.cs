using System.Security.Claims;
using Parley.Auth;
using Parley.Core.Templates;

namespace Parley.Api;

public sealed record TemplateBody(string? Name, string? RecordType, string? Subject, string? Body, string? FromName, string? FromAddress);

public sealed record TemplateDto(long Id, string Name, string RecordType, string Subject, string Body, DateTimeOffset UpdatedAt, string? FromName,
    string? FromAddress)
{
    public static TemplateDto From(MailTemplate t) => new(t.Id, t.Name, t.RecordType, t.Subject, t.Body, t.UpdatedAt, t.FromName, t.FromAddress);
}

public sealed record PreviewBody(long? RecordId, string? Language);

public sealed record TranslationBody(string? Subject, string? Body);

public sealed record TranslationDto(string Language, string Subject, string Body, DateTimeOffset UpdatedAt)
{
    public static TranslationDto From(TemplateTranslation t) => new(t.Language, t.Subject, t.Body, t.UpdatedAt);
}

public static class TemplatesApi
{
    public static void MapTemplatesApi(this RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/templates").WithTags("Templates");

        templates.MapPost("", async (TemplateBody body, TemplateService service, CancellationToken ct) =>
        {
            var template = await service.CreateAsync(new TemplateInput(body.Name, body.RecordType, body.Subject, body.Body, body.FromName, body.FromAddress), ct);
            return Results.Created($"/api/v1/templates/{template.Id}", new CreatedDto(template.Id));
        }).WithSummary("Create a Liquid template (syntax is checked before saving)");

        templates.MapGet("", async (string? recordType, TemplateService service, CancellationToken ct) =>
            (await service.ListAsync(recordType, ct)).Select(TemplateDto.From));

        templates.MapGet("/{id:long}", async (long id, TemplateService service, CancellationToken ct) =>
            TemplateDto.From(await service.GetAsync(id, ct)));

        templates.MapPut("/{id:long}", async (long id, TemplateBody body, TemplateService service, CancellationToken ct) =>
            TemplateDto.From(await service.UpdateAsync(id, new TemplateInput(body.Name, body.RecordType, body.Subject, body.Body, body.FromName, body.FromAddress), ct)));

        templates.MapDelete("/{id:long}", async (long id, TemplateService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(id, ct);
            return Results.NoContent();
        });

        templates.MapPost("/{id:long}/preview", async (long id, PreviewBody body, TemplateService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (body.RecordId is not { } recordId)
                throw new Core.Common.InvalidInputException("recordId", "Name the record to preview against, e.g. {\"recordId\": 1}.");
            var rendered = await service.PreviewAsync(id, recordId, user.ToActingUser(), ct, body.Language);
            return new { subject = rendered.Subject, body = rendered.Body };
        }).WithSummary("Render a template against a real record (in a language: one of its translations)");

        templates.MapGet("/{id:long}/attachments", async (long id, TemplateAttachmentService service, CancellationToken ct) =>
            (await service.ListAsync(id, ct)).Select(a => new { id = a.Id, fileName = a.FileName, contentType = a.ContentType, size = a.Size }))
            .WithSummary("The files every email of the template's mailings carries");

        templates.MapPut("/{id:long}/attachments/{fileName}", async (long id, string fileName, HttpRequest request, TemplateAttachmentService service,
            CancellationToken ct) =>
        {
            if (request.ContentLength > TemplateAttachmentService.MaxFileSize)
                throw new Core.Common.InvalidInputException("file", $"An attachment may have at most {TemplateAttachmentService.MaxFileSize / 1024 / 1024} MB.");
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, ct);
            var saved = await service.SetAsync(id, fileName, request.ContentType, body.ToArray(), ct);
            return new { id = saved.Id, fileName = saved.FileName, contentType = saved.ContentType, size = saved.Content.Length };
        })
        .WithSummary("Add (or replace) a default attachment: the request body is the file, its Content-Type the file's type");

        templates.MapDelete("/{id:long}/attachments/{fileName}", async (long id, string fileName, TemplateAttachmentService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(id, fileName, ct);
            return Results.NoContent();
        }).WithSummary("Remove a default attachment");

        templates.MapGet("/{id:long}/translations", async (long id, TemplateService service, CancellationToken ct) =>
            (await service.TranslationsAsync(id, ct)).Select(TranslationDto.From))
            .WithSummary("The template's translations");

        templates.MapPut("/{id:long}/translations/{language}", async (long id, string language, TranslationBody body, TemplateService service, CancellationToken ct) =>
            TranslationDto.From(await service.SetTranslationAsync(id, language, body.Subject, body.Body, ct)))
            .WithSummary("Add or replace the template's subject and body in a language; records in that language get it");

        templates.MapDelete("/{id:long}/translations/{language}", async (long id, string language, TemplateService service, CancellationToken ct) =>
        {
            await service.DeleteTranslationAsync(id, language, ct);
            return Results.NoContent();
        }).WithSummary("Remove a translation");
    }
}
