namespace Parley.Core.Chatter;

/// <summary>What the composer (UI or API) posts to a record's chatter.</summary>
public sealed record ComposeRequest(MessageKind Kind, string? Subject, string? Body, long? TemplateId)
{
    /// <summary>Addresses the email goes to; the record's own (a contact, a quotation's customer) when null or empty.</summary>
    public IReadOnlyList<string>? To { get; init; }

    public IReadOnlyList<string>? Cc { get; init; }

    /// <summary>
    /// The received email (chatter message id) this answers: the email threads under it (In-Reply-To, References),
    /// goes to its sender when <see cref="To"/> is empty, and is titled "Re: …" when no subject is given.
    /// </summary>
    public long? ReplyTo { get; init; }

    /// <summary>Files the email carries, at most <see cref="Outbox.OutboxOptions.MaxAttachmentBytes"/> together.</summary>
    public IReadOnlyList<OutgoingAttachment> Attachments { get; init; } = [];
}

/// <summary>A file to send with an email, as uploaded or given in the API (base64).</summary>
public sealed record OutgoingAttachment(string? FileName, string? ContentType, byte[] Content);
