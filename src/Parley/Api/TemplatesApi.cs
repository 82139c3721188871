using System.Security.Claims;
using Parley.Auth;
using Parley.Core.Templates;

namespace Parley.Api;

public sealed record TemplateBody(string? Name, string? RecordType, string? Subject, string? Body, string? FromName, string? FromAddress)
{
    public TemplateInput ToInput() => new(Name, RecordType, Subject, Body, FromName, FromAddress);
}

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

        templates.MapPost("", async (TemplateBody body, TemplateService service, CancellationToken cancellationToken) =>
        {
            var template = await service.CreateAsync(body.ToInput(), cancellationToken);
            return Results.Created($"/api/v1/templates/{template.Id}", new CreatedDto(template.Id));
        }).WithSummary("Create a Liquid template (syntax is checked before saving)");

        templates.MapGet("", async (string? recordType, TemplateService service, CancellationToken cancellationToken) =>
            (await service.ListAsync(recordType, cancellationToken)).Select(TemplateDto.From));

        templates.MapGet("/{id:long}", async (long id, TemplateService service, CancellationToken cancellationToken) =>
            TemplateDto.From(await service.GetAsync(id, cancellationToken)));

        templates.MapPut("/{id:long}", async (long id, TemplateBody body, TemplateService service, CancellationToken cancellationToken) =>
            TemplateDto.From(await service.UpdateAsync(id, body.ToInput(), cancellationToken)));

        templates.MapDelete("/{id:long}", async (long id, TemplateService service, CancellationToken cancellationToken) =>
        {
            await service.DeleteAsync(id, cancellationToken);
            return Results.NoContent();
        });

        templates.MapPost("/{id:long}/preview", async (long id, PreviewBody body, TemplateService service, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            if (body.RecordId is not { } recordId)
            {
                throw new Core.Common.InvalidInputException("recordId", "Name the record to preview against, e.g. {\"recordId\": 1}.");
            }

            var rendered = await service.PreviewAsync(id, recordId, user.ToActingUser(), cancellationToken, body.Language);
            return new { subject = rendered.Subject, body = rendered.Body };
        }).WithSummary("Render a template against a real record (in a language: one of its translations)");

        templates.MapGet("/{id:long}/attachments", async (long id, TemplateAttachmentService service, CancellationToken cancellationToken) =>
            (await service.ListAsync(id, cancellationToken)).Select(a => new { id = a.Id, fileName = a.FileName, contentType = a.ContentType, size = a.Size }))
            .WithSummary("The files every email of the template's mailings carries");

        templates.MapPut("/{id:long}/attachments/{fileName}", async (long id, string fileName, HttpRequest request, TemplateAttachmentService service,
            CancellationToken cancellationToken) =>
        {
            if (request.ContentLength > TemplateAttachmentService.MaxFileSize)
            {
                throw new Core.Common.InvalidInputException("file", $"An attachment may have at most {TemplateAttachmentService.MaxFileSize / 1024 / 1024} MB.");
            }

            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, cancellationToken);
            var saved = await service.SetAsync(id, fileName, request.ContentType, body.ToArray(), cancellationToken);
            return new { id = saved.Id, fileName = saved.FileName, contentType = saved.ContentType, size = saved.Content.Length };
        })
        .WithSummary("Add (or replace) a default attachment: the request body is the file, its Content-Type the file's type");

        templates.MapDelete("/{id:long}/attachments/{fileName}", async (long id, string fileName, TemplateAttachmentService service, CancellationToken cancellationToken) =>
        {
            await service.DeleteAsync(id, fileName, cancellationToken);
            return Results.NoContent();
        }).WithSummary("Remove a default attachment");

        templates.MapGet("/{id:long}/translations", async (long id, TemplateService service, CancellationToken cancellationToken) =>
            (await service.TranslationsAsync(id, cancellationToken)).Select(TranslationDto.From))
            .WithSummary("The template's translations");

        templates.MapPut("/{id:long}/translations/{language}", async (long id, string language, TranslationBody body, TemplateService service, CancellationToken cancellationToken) =>
            TranslationDto.From(await service.SetTranslationAsync(id, language, body.Subject, body.Body, cancellationToken)))
            .WithSummary("Add or replace the template's subject and body in a language; records in that language get it");

        templates.MapDelete("/{id:long}/translations/{language}", async (long id, string language, TemplateService service, CancellationToken cancellationToken) =>
        {
            await service.DeleteTranslationAsync(id, language, cancellationToken);
            return Results.NoContent();
        }).WithSummary("Remove a translation");
    }
}
