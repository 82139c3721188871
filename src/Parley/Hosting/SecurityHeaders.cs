namespace Parley.Hosting;

/// <summary>
/// The headers every response carries. The Content-Security-Policy allows scripts only from Parley's own files (no
/// inline script, no handlers), so HTML that slipped past the sanitizer still could not run; images may come from the
/// web because a reader can choose to load a message's remote images. An endpoint may set a stricter policy of its
/// own (attachments are sandboxed).
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: http:; object-src 'none'; base-uri 'none'; " +
        "form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseParleySecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // Links and images in received mail (once the reader shows them) must not tell their servers which Parley page,
        // contact or message they were opened from.
        headers["Referrer-Policy"] = "same-origin";
        return next(context);
    });
}
