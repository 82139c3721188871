using System.Security.Claims;
using Parley.Auth;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Records;

namespace Parley.Api;

public sealed record PostMessageBody(PostedKind? Kind, string? Subject, string? Body, long? TemplateId);

/// <summary>What a client may post: events are written by Parley itself.</summary>
public enum PostedKind { Email, Note }

public sealed record PostedMessageDto(long Id, string? MessageId);

public sealed record MessageDto(
    long Id, MessageKind Kind, MessageDirection? Direction, string? From, string? To, string? Subject, string Text,
    string? MessageId, DeliveryState? State, string? Error, string? ServerReply, string? Route, string Author, DateTimeOffset CreatedAt)
{
    public static MessageDto Of(ChatterMessage m) => new(
        m.Id, m.Kind, m.Direction, m.From, m.To, m.Subject,
        m.BodyText, m.MessageId, m.State, m.Error, m.ServerReply, m.Route, m.AuthorName, m.CreatedAt);
}

public static class MessagesApi
{
    public static void MapMessagesApi(this RouteGroupBuilder api)
    {
        var messages = api.MapGroup("/records/{type}/{id:long}/messages").WithTags("Chatter");

        messages.MapPost("", async (string type, long id, PostMessageBody body, ChatterService chatter, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var kind = body.Kind switch
            {
                PostedKind.Email => MessageKind.Email,
                PostedKind.Note => MessageKind.Note,
                _ => throw new InvalidInputException("kind", $"kind must be {ApiEnums.Allowed<PostedKind>()}."),
            };
            var message = await chatter.PostAsync(new RecordRef(type, id), new ComposeRequest(kind, body.Subject, body.Body, body.TemplateId), user.ToActingUser(), ct);
            return Results.Accepted($"/api/v1/records/{type}/{id}/messages", new PostedMessageDto(message.Id, message.MessageId));
        }).WithSummary("Post an internal note, or queue an email to the record (directly or from a template)");

        messages.MapGet("", async (string type, long id, long? before, int? take, ChatterService chatter, CancellationToken ct) =>
            (await chatter.ListAsync(new RecordRef(type, id), before, take ?? 100, ct)).Select(MessageDto.Of))
            .WithSummary("The record's timeline, newest first");
    }
}
