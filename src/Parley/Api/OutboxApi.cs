using Parley.Core.Chatter;
using Parley.Core.Outbox;

namespace Parley.Api;

public sealed record OutboxItemDto(
    long Id, long MessageId, string RecordType, long RecordId, string Recipient, string? Subject, DeliveryState State,
    int Attempts, DateTimeOffset NextAttemptAt, int? LastCode, string? LastError, string? Route, DateTimeOffset CreatedAt);

public static class OutboxApi
{
    public static void MapOutboxApi(this RouteGroupBuilder api)
    {
        var outbox = api.MapGroup("/outbox").WithTags("Outbox");

        outbox.MapGet("/stats", async (OutboxService service, CancellationToken cancellationToken) =>
        {
            var counts = await service.CountsAsync(cancellationToken);
            return Enum.GetValues<DeliveryState>().Where(s => s != DeliveryState.Received)
                .ToDictionary(s => s, s => counts.GetValueOrDefault(s));
        }).WithSummary("How many outgoing deliveries are in each state");

        outbox.MapGet("", async (string? state, int? take, OutboxService service, CancellationToken cancellationToken) =>
        {
            var filter = ApiEnums.ParseQuery<DeliveryState>(state, "state");
            return (await service.ListAsync(filter, take ?? 100, cancellationToken)).Select(i => new OutboxItemDto(
                i.Id, i.ChatterMessageId, i.ChatterMessage!.RecordType, i.ChatterMessage.RecordId, i.Recipient, i.ChatterMessage.Subject,
                i.State, i.Attempts, i.NextAttemptAt, i.LastCode, i.LastError, i.Route, i.CreatedAt));
        }).WithSummary("Outgoing deliveries, newest first, optionally of one state");

        outbox.MapPost("/{id:long}/retry", async (long id, OutboxService service, CancellationToken cancellationToken) =>
        {
            await service.RetryAsync(id, cancellationToken);
            return Results.NoContent();
        }).WithSummary("Try a deferred or failed delivery again now");

        outbox.MapPost("/{id:long}/cancel", async (long id, OutboxService service, CancellationToken cancellationToken) =>
        {
            await service.CancelAsync(id, cancellationToken);
            return Results.NoContent();
        }).WithSummary("Stop trying to deliver a queued or deferred email (it is marked failed)");
    }
}
