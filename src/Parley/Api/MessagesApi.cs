using System.Security.Claims;
using Parley.Auth;
using Parley.Core.Chatter;
using Parley.Core.Common;
using Parley.Core.Records;

namespace Parley.Api;

/// <param name="To">Addresses; without them the email goes to the record's own address (a quotation's customer).</param>
/// <param name="ReplyTo">The id of the received message this answers: the email threads under it and goes to its sender by default.</param>
public sealed record PostMessageBody(PostedKind? Kind, string? Subject, string? Body, long? TemplateId, string[]? To = null, string[]? Cc = null,
    AttachmentBody[]? Attachments = null, long? ReplyTo = null)
{
    public ComposeRequest ToRequest(MessageKind kind)
    {
        var files = new List<OutgoingAttachment>();
        for (var i = 0; i < (Attachments?.Length ?? 0); i++)
        {
            var a = Attachments![i];
            try
            {
                files.Add(new OutgoingAttachment(a.FileName, a.ContentType, Convert.FromBase64String(a.ContentBase64 ?? "")));
            }
            catch (FormatException)
            {
                throw new InvalidInputException($"attachments[{i}].contentBase64", $"The content of {a.FileName ?? "attachment " + (i + 1)} is not valid base64.");
            }
        }
        return new ComposeRequest(kind, Subject, Body, TemplateId) { To = To, Cc = Cc, Attachments = files, ReplyTo = ReplyTo };
    }
}

public sealed record AttachmentBody(string? FileName, string? ContentType, string? ContentBase64);

/// <summary>What a client may post: events are written by Parley itself.</summary>
public enum PostedKind { Email, Note }

public sealed record PostedMessageDto(long Id, string? MessageId);

public sealed record MessageDto(
    long Id, MessageKind Kind, MessageDirection? Direction, string? From, string? To, string? Subject, string Text,
    string? MessageId, DeliveryState? State, string? Error, string? ServerReply, string? Route, string Author, DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt = null)
{
    public static MessageDto Of(ChatterMessage m) => new(
        m.Id, m.Kind, m.Direction, m.From, m.To, m.Subject,
        m.BodyText, m.MessageId, m.State, m.Error, m.ServerReply, m.Route, m.AuthorName, m.CreatedAt, m.EditedAt);
}

public static class MessagesApi
{
    /// <summary>A 200 MB attachment limit in base64, with the body's own text.</summary>
    public const long MaxBodyBytes = 200L * 1024 * 1024 * 4 / 3 + 2 * 1024 * 1024;

    public static void MapMessagesApi(this RouteGroupBuilder api)
    {
        var messages = api.MapGroup("/records/{type}/{id:long}/messages").WithTags("Chatter");

        messages.MapPost("", async (string type, long id, PostMessageBody body, ChatterService chatter, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            var kind = body.Kind switch
            {
                PostedKind.Email => MessageKind.Email,
                PostedKind.Note => MessageKind.Note,
                _ => throw new InvalidInputException("kind", $"kind must be {ApiEnums.Allowed<PostedKind>()}."),
            };
            var message = await chatter.PostAsync(new RecordRef(type, id), body.ToRequest(kind), user.ToActingUser(), cancellationToken);
            return Results.Accepted($"/api/v1/records/{type}/{id}/messages", new PostedMessageDto(message.Id, message.MessageId));
        })
        // Attachments come base64-encoded (a third larger): room for the largest email the outbox takes, and its text.
        .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes))
        .WithSummary("Post an internal note, or queue an email to the record (directly or from a template; to, cc and attachments optional)");

        messages.MapGet("", async (string type, long id, long? before, int? take, ChatterService chatter, CancellationToken cancellationToken) =>
            (await chatter.ListAsync(new RecordRef(type, id), before, take ?? 100, cancellationToken)).Select(MessageDto.Of))
            .WithSummary("The record's timeline, newest first");
    }
}
