using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Parley.Core.Inbound;

namespace Parley.Api;

/// <summary>
/// <c>POST /api/v1/inbound/raw</c>: the way in for <c>parley mailgate</c>. The body is one message
/// (message/rfc822); it is committed exactly as sent before 202 is returned, and routed afterwards like
/// mail from the listener. Empty → 400; too big → 413; a database problem → 503 so the MTA retries.
/// Without X-Parley-Envelope-To the recipients are those of the X-Original-To and Delivered-To headers, which
/// Postfix's local delivery adds when an aliases entry pipes to mailgate (To and Cc are not used: they name
/// addresses this copy was not delivered to).
/// </summary>
public static partial class InboundRawEndpoint
{
    public static async Task<IResult> HandleAsync(HttpRequest request, InboundStore store, IOptions<InboundOptions> options, TimeProvider clock,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var type = request.ContentType ?? "";
        if (!type.StartsWith("message/rfc822", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(title: "Unsupported content type", detail: "Send the message as Content-Type: message/rfc822.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        // Kestrel's own 30 MB default would answer 413 first, with no explanation, for mail this endpoint accepts;
        // the loop below enforces the inbound limit instead.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var maxBytes = options.Value.MaxMessageSize;
        if (request.ContentLength > maxBytes)
        {
            return TooBig(options.Value);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                return TooBig(options.Value);
            }
        }
        if (buffer.Length == 0)
        {
            return Results.Problem(title: "Empty message", detail: "The request body is empty; send one whole message.", statusCode: StatusCodes.Status400BadRequest);
        }

        var sender = request.Headers["X-Parley-Envelope-From"].ToString();
        IReadOnlyList<string> recipients = request.Headers["X-Parley-Envelope-To"].ToString()
            .Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (recipients.Count == 0)
        {
            recipients = DeliveryHeaders.Recipients(DeliveryHeaders.Peek(new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length)), includeToAndCc: false, topmostOnly: true);
        }

        try
        {
            buffer.Position = 0;
            var id = await store.StoreAsync(new InboundEnvelope(InboundEnvelope.Mailgate, null, null, sender, recipients, clock.GetUtcNow()), buffer, cancellationToken);
            return Results.Accepted($"/api/v1/inbound?status=pending", new { id });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStoreFailed(loggers.CreateLogger("Parley.Api.InboundRaw"), e);
            return Results.Problem(title: "Not stored", detail: "The message could not be stored right now; try again later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static IResult TooBig(InboundOptions options) =>
        Results.Problem(title: "Message too big", detail: $"Messages up to {options.MaxMessageSizeInWords()} are accepted.", statusCode: StatusCodes.Status413PayloadTooLarge);

    [LoggerMessage(Level = LogLevel.Error, Message = "A message posted to /api/v1/inbound/raw could not be stored; answered 503")]
    private static partial void LogStoreFailed(ILogger logger, Exception e);
}
