namespace Parley.Core.Outbox;

/// <summary>Everything needed to build one outgoing email's MIME.</summary>
public sealed record OutboundEmail(
    string FromName,
    string FromAddress,
    string ToName,
    string ToAddress,
    string ReplyTo,
    string Subject,
    string Body,
    string MessageId,
    string? InReplyTo,
    DateTimeOffset Date)
{
    /// <summary>Further headers, e.g. List-Unsubscribe on mass mail or Auto-Submitted on automatic mail.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];

    /// <summary>The thread's Message-IDs for the References header, oldest first; just <see cref="InReplyTo"/> when empty.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>More To addresses after <see cref="ToAddress"/>, and the Cc addresses.</summary>
    public IReadOnlyList<string> MoreTo { get; init; } = [];

    public IReadOnlyList<string> Cc { get; init; } = [];

    /// <summary>
    /// Files (the composer's, or a template's default attachments), sent as a multipart/mixed message with the text
    /// and HTML alternatives first.
    /// </summary>
    public IReadOnlyList<OutboundAttachment> Attachments { get; init; } = [];
}

public sealed record OutboundAttachment(string FileName, string ContentType, byte[] Content);
