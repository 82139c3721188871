using Parley.Core.Aliases;
using Parley.Core.Common;
using Parley.Core.Inbound;

namespace Parley.Api;

public sealed record InboundItemDto(
    long Id, DateTimeOffset ReceivedAt, string Source, string? ClientAddress, string MailFrom, string Recipients, string? MessageId,
    InboundStatus Status, string? Error, string? Route, string? AuthenticationResults, long? ChatterMessageId, string? SenderDoubt)
{
    public static InboundItemDto Of(InboundMessage i) => new(
        i.Id, i.ReceivedAt, i.Source, i.ClientAddress, i.MailFrom, i.Recipients, i.MessageId, i.Status,
        i.Error, i.Route, i.AuthenticationResults, i.ChatterMessageId,
        SenderTrust.Doubt(InboundAuthentication.Parse(i.AuthenticationResults), SenderVerification.DmarcPolicy));
}

public sealed record AssignBody(string? RecordType, long? RecordId);

public sealed record InboundSettingsBody(
    CatchallPolicy? Catchall, int? HardBounceThreshold, int? LoopLimit, int? LoopWindowMinutes, SenderVerification? SenderVerification = null);

public sealed record AliasBody(string? LocalPart, string? RecordType, AliasContactPolicy? ContactPolicy);

public sealed record AliasDto(long Id, string Address, string LocalPart, string RecordType, AliasContactPolicy ContactPolicy);

public static class InboundApi
{
    public static void MapInboundApi(this RouteGroupBuilder api)
    {
        var inbound = api.MapGroup("/inbound").WithTags("Inbound");

        inbound.MapGet("/stats", async (InboundAdminService service, CancellationToken cancellationToken) => await service.StatsAsync(cancellationToken))
            .WithSummary("How many messages were received, routed, unrouted, bounces, failed (and pending, duplicates, loop-limited)");

        inbound.MapGet("/unrouted", async (int? take, InboundAdminService service, CancellationToken cancellationToken) =>
            (await service.ListUnroutedAsync(take ?? 100, cancellationToken)).Select(InboundItemDto.Of))
            .WithSummary("Messages not placed in a chatter (unrouted, failed, loop-limited), newest first");

        inbound.MapGet("", async (string? status, int? take, InboundAdminService service, CancellationToken cancellationToken) =>
        {
            var filter = ApiEnums.ParseQuery<InboundStatus>(status, "status");
            return (await service.ListAsync(filter, take ?? 100, cancellationToken)).Select(InboundItemDto.Of);
        }).WithSummary("Received messages, newest first, optionally of one status");

        inbound.MapPost("/{id:long}/assign", async (long id, AssignBody body, InboundAdminService service, CancellationToken cancellationToken) =>
        {
            if (body.RecordId is not { } recordId)
            {
                throw new InvalidInputException("recordId", "Give the id of the record to post the message to.");
            }

            var message = await service.AssignAsync(id, body.RecordType, recordId, cancellationToken);
            return Results.Ok(new { messageId = message.Id, recordType = message.RecordType, recordId = message.RecordId });
        }).WithSummary("Post an unrouted, failed or loop-limited message to a record's chatter");

        inbound.MapGet("/settings", async (InboundSettingsService service, CancellationToken cancellationToken) => ToBody(await service.GetAsync(cancellationToken)))
            .WithSummary("Catchall policy, hard-bounce threshold, loop protection and sender verification (DMARC)");

        inbound.MapPut("/settings", async (InboundSettingsBody body, InboundSettingsService service, CancellationToken cancellationToken) =>
        {
            var current = await service.GetAsync(cancellationToken);
            var saved = await service.SetAsync(new InboundSettings(body.Catchall ?? current.Catchall, body.HardBounceThreshold ?? current.HardBounceThreshold,
                body.LoopLimit ?? current.LoopLimit, body.LoopWindowMinutes ?? current.LoopWindowMinutes, body.SenderVerification ?? current.SenderVerification), cancellationToken);
            return ToBody(saved);
        }).WithSummary("Change the catchall policy, hard-bounce threshold or loop protection (omitted fields keep their value)");

        var aliases = inbound.MapGroup("/aliases");
        aliases.MapGet("", async (AliasService service, Core.Settings.SettingsService settings, CancellationToken cancellationToken) =>
        {
            var domain = await settings.GetAliasDomainAsync(cancellationToken);
            return (await service.ListAsync(cancellationToken)).Select(a => ToDto(a, domain));
        }).WithSummary("Aliases on the alias domain that start conversations");
        aliases.MapPost("", async (AliasBody body, AliasService service, Core.Settings.SettingsService settings, CancellationToken cancellationToken) =>
        {
            var alias = await service.CreateAsync(body.LocalPart, body.RecordType, body.ContactPolicy ?? AliasContactPolicy.Everyone, cancellationToken);
            return Results.Created($"/api/v1/inbound/aliases/{alias.Id}", ToDto(alias, await settings.GetAliasDomainAsync(cancellationToken)));
        }).WithSummary("Create an alias (local part, record type, contact policy)");
        aliases.MapDelete("/{id:long}", async (long id, AliasService service, CancellationToken cancellationToken) =>
        {
            await service.DeleteAsync(id, cancellationToken);
            return Results.NoContent();
        }).WithSummary("Delete an alias");
    }

    /// <summary>The way in for <c>parley mailgate</c>, apart from the rest of /inbound because a mailgate token may use only this.</summary>
    public static void MapInboundRawApi(this RouteGroupBuilder api) =>
        api.MapPost("/inbound/raw", InboundRawEndpoint.HandleAsync).WithTags("Inbound")
            .WithSummary("Store one raw message (Content-Type: message/rfc822), as `parley mailgate` does; 202 only once it is committed");

    private static AliasDto ToDto(MailAlias a, string? domain) =>
        new(a.Id, $"{a.LocalPart}@{domain ?? "(alias domain not set)"}", a.LocalPart, a.RecordType, a.ContactPolicy);

    private static InboundSettingsBody ToBody(InboundSettings s) =>
        new(s.Catchall, s.HardBounceThreshold, s.LoopLimit, s.LoopWindowMinutes, s.SenderVerification);
}
