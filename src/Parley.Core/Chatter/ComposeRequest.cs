namespace Parley.Core.Chatter;

/// <summary>What the composer (UI or API) posts to a record's chatter.</summary>
public sealed record ComposeRequest(MessageKind Kind, string? Subject, string? Body, long? TemplateId);
