using MimeKit;
using Parley.Core.Common;

namespace Parley.Core.Outbox;

/// <summary>
/// Builds the MIME of an outgoing email: Message-ID, Date, Reply-To that routes back, and a
/// text/plain alternative for every HTML body. MimeKit encodes every header, so names and
/// subjects cannot inject headers.
/// </summary>
public static class MimeComposer
{
    public static MimeMessage Compose(OutboundEmail email)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(OneLine(email.FromName), email.FromAddress));
        message.To.Add(new MailboxAddress(OneLine(email.ToName), email.ToAddress));
        foreach (var to in email.MoreTo)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }
        foreach (var cc in email.Cc)
        {
            message.Cc.Add(MailboxAddress.Parse(cc));
        }
        message.ReplyTo.Add(new MailboxAddress(OneLine(email.FromName), email.ReplyTo));
        message.Subject = OneLine(email.Subject);
        message.MessageId = email.MessageId;
        message.Date = email.Date;
        if (email.InReplyTo is not null)
        {
            message.InReplyTo = email.InReplyTo;
            message.References.Add(email.InReplyTo);
        }

        foreach (var (name, value) in email.ExtraHeaders)
        {
            message.Headers.Add(name, OneLine(value));
        }

        var builder = new BodyBuilder();
        if (HtmlText.LooksLikeHtml(email.Body))
        {
            builder.HtmlBody = email.Body;
            builder.TextBody = HtmlText.ToPlainText(email.Body);
        }
        else
        {
            builder.TextBody = email.Body;
            builder.HtmlBody = HtmlText.FromPlainText(email.Body);
        }
        foreach (var file in email.Attachments)
        {
            builder.Attachments.Add(file.FileName, file.Content, ContentType.Parse(file.ContentType));
        }
        message.Body = builder.ToMessageBody();
        return message;
    }

    public static byte[] ToBytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(FormatOptions.Default, stream);
        return stream.ToArray();
    }

    /// <summary>A new Message-ID on the alias domain (without angle brackets).</summary>
    public static string NewMessageId(string aliasDomain) =>
        $"{Guid.CreateVersion7():N}{ParleyMarker}{aliasDomain}";

    /// <summary>Whether a Message-ID has the form Parley gives the emails it sends (whatever the alias domain was then).</summary>
    public static bool IsParleyMessageId(string messageId) => messageId.Contains(ParleyMarker, StringComparison.Ordinal);

    private const string ParleyMarker = ".parley@";

    private static string OneLine(string value) =>
        string.Join(' ', value.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
