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
            foreach (var reference in email.References.Count > 0 ? email.References : [email.InReplyTo])
            {
                message.References.Add(reference);
            }
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
            builder.HtmlBody = HtmlOfPlainText(email.Body);
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

    // A quoted original under the text ("On … wrote:" and "> " lines) becomes a blockquote in the HTML alternative,
    // as mail clients write it, so the recipient's client folds it too.
    private static string HtmlOfPlainText(string body)
    {
        if (Chatter.QuotedText.Split(body) is not { Quoted: { } quoted } parts)
        {
            return HtmlText.FromPlainText(body);
        }

        var lines = quoted.Split('\n');
        var firstQuoted = Array.FindIndex(lines, l => l.StartsWith('>'));
        if (firstQuoted < 0)
        {
            return HtmlText.FromPlainText(body);
        }

        var attribution = string.Join('\n', lines[..firstQuoted]);
        var cited = string.Join('\n', lines[firstQuoted..].Select(l => l.StartsWith("> ", StringComparison.Ordinal) ? l[2..] : l.StartsWith('>') ? l[1..] : l));
        return HtmlText.FromPlainText(parts.Written) + HtmlText.FromPlainText(attribution) + "<blockquote type=\"cite\">\n" + HtmlText.FromPlainText(cited) + "</blockquote>\n";
    }

    private static string OneLine(string value) =>
        string.Join(' ', value.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
