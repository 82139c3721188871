using Parley.Core.Chatter;
using Parley.Core.Records;

namespace Parley.Live;

/// <summary>
/// Server-sent events for an open chatter: each event says "this timeline changed", and the page
/// fetches the fresh timeline. Plain EventSource, so no client library is needed.
/// </summary>
public static class ChatterStream
{
    public static void MapChatterStream(this WebApplication app)
    {
        app.MapGet("/live/records/{type}/{id:long}", async (string type, long id, HttpContext http, ChatterEvents events, CancellationToken cancellationToken) =>
        {
            http.Response.Headers.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            using var subscription = events.Subscribe(new RecordRef(type, id));
            await http.Response.WriteAsync(": connected\n\n", cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    heartbeat.CancelAfter(TimeSpan.FromSeconds(25));
                    try
                    {
                        var messageId = await subscription.Reader.ReadAsync(heartbeat.Token);
                        await http.Response.WriteAsync($"event: changed\ndata: {messageId}\n\n", cancellationToken);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        await http.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    }
                    await http.Response.Body.FlushAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                // The tab closed.
            }
        }).RequireAuthorization(Auth.ParleyPolicies.Member).ExcludeFromDescription();
    }
}
