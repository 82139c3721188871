using System.Security.Claims;
using Parley.Auth;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Records;

namespace Parley.Api;

public sealed record PostMessageBody(string? Kind, string? Subject, string? Body, long? TemplateId);

public sealed record PostedMessageDto(long Id, string? MessageId);

public sealed record MessageDto(
    long Id, string Kind, string? Direction, string? From, string? To, string? Subject, string Text,
    string? MessageId, string? State, string? Error, string? ServerReply, string? Route, string Author, DateTimeOffset CreatedAt)
{
    public static MessageDto Of(ChatterMessage m) => new(
        m.Id, m.Kind.ToString().ToLowerInvariant(), m.Direction?.ToString().ToLowerInvariant(), m.From, m.To, m.Subject,
        m.BodyText, m.MessageId, m.State?.ToString().ToLowerInvariant(), m.Error, m.ServerReply, m.Route, m.AuthorName, m.CreatedAt);
}

public static class MessagesApi
{
    public static void MapMessagesApi(this RouteGroupBuilder api)
    {
        var messages = api.MapGroup("/records/{type}/{id:long}/messages").WithTags("Chatter");

        messages.MapPost("", async (string type, long id, PostMessageBody body, ChatterService chatter, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var kind = body.Kind?.Trim().ToLowerInvariant() switch
            {
                "email" => MessageKind.Email,
                "note" => MessageKind.Note,
                _ => throw new InvalidInputException("kind", "kind must be \"email\" or \"note\"."),
            };
            var message = await chatter.PostAsync(new RecordRef(type, id), new ComposeRequest(kind, body.Subject, body.Body, body.TemplateId), user.ToActingUser(), ct);
            return Results.Accepted($"/api/v1/records/{type}/{id}/messages", new PostedMessageDto(message.Id, message.MessageId));
        }).WithSummary("Post an internal note, or queue an email to the record (directly or from a template)");

        messages.MapGet("", async (string type, long id, long? before, int? take, ChatterService chatter, CancellationToken ct) =>
            (await chatter.ListAsync(new RecordRef(type, id), before, take ?? 100, ct)).Select(MessageDto.Of))
            .WithSummary("The record's timeline, newest first");
    }
}
