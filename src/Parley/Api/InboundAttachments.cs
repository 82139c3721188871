using Microsoft.EntityFrameworkCore;
using Parley.Core.Attachments;
using Parley.Core.Data;

namespace Parley.Api;

/// <summary>
/// <c>GET /attachments/{id}</c> (web login, or an API token): a file from a received email, decoded from
/// the stored raw message. Downloads are <c>attachment</c> with the sanitized name; images may be shown
/// inline (for cid: images in the sanitized HTML) and are sent with nosniff and a sandboxing CSP.
/// </summary>
public static class InboundAttachments
{
    private static readonly string[] InlineTypes = ["image/png", "image/jpeg", "image/gif", "image/webp"];

    public static void MapAttachmentDownloads(this WebApplication app)
    {
        var downloads = app.MapGroup("/attachments").RequireAuthorization(p => p.AddAuthenticationSchemes(
            Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme,
            Auth.ApiTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser()).RequireAuthorization(Auth.ParleyPolicies.Member);
        downloads.MapGet("/{id:long}", async (long id, bool? inline, ParleyDbContext db, HttpResponse response, CancellationToken cancellationToken) =>
            await SendAsync(await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken), inline == true, db, response, cancellationToken));
        // The cid: images of sanitized HTML point here (ReceivedHtml.InlineUrl): the message and part are Parley's own numbers.
        downloads.MapGet("/inline/{messageId:long}/{partIndex:int}", async (long messageId, int partIndex, ParleyDbContext db, HttpResponse response,
                CancellationToken cancellationToken) =>
            await SendAsync(await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.ChatterMessageId == messageId && a.PartIndex == partIndex, cancellationToken),
                inline: true, db, response, cancellationToken));
    }

    private static async Task<IResult> SendAsync(MessageAttachment? file, bool inline, ParleyDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return Results.NotFound();
        }

        var raw = await db.RawMimes.Where(r => r.Id == file.RawMimeId).Select(r => r.Content).FirstOrDefaultAsync(cancellationToken);
        if (raw is null)
        {
            return Results.NotFound();
        }

        var bytes = await AttachmentExtractor.ReadAsync(raw, file.PartIndex, cancellationToken);
        if (bytes is null)
        {
            return Results.NotFound();
        }

        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Content-Security-Policy"] = "sandbox; default-src 'none'";
        var showInline = inline && InlineTypes.Contains(file.ContentType);
        return showInline
            ? Results.File(bytes, file.ContentType)
            : Results.File(bytes, "application/octet-stream", file.FileName);
    }
}
