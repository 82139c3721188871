using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Utils;
using Parley.Core.Common;
using Parley.Core.Contacts;
using Parley.Core.Data;
using Parley.Core.Inbound;
using Parley.Core.Records;

namespace Parley.Core.Chatter;

/// <summary>
/// Answering a received email of a record's chatter: the draft the composer opens with (the sender, "Re: …", the
/// original quoted) and the thread the sent email joins (In-Reply-To and References from the original's chain).
/// </summary>
public sealed partial class Replies(ParleyDbContext db, ContactService contacts)
{
    /// <summary>How many earlier Message-IDs a reply's References keeps (the first and the newest), as mail clients trim it.</summary>
    public const int MaxReferences = 20;

    /// <summary>The received email <paramref name="messageId"/> of this record; a clear error when it is not one.</summary>
    public async Task<ChatterMessage> OriginalAsync(RecordRef record, long messageId, CancellationToken cancellationToken) =>
        await db.Messages.AsNoTracking().Include(m => m.RawMime)
            .FirstOrDefaultAsync(m => m.Id == messageId && m.RecordType == record.Type && m.RecordId == record.Id
                && m.Kind == MessageKind.Email && m.Direction == MessageDirection.In, cancellationToken)
        ?? throw new InvalidInputException("replyTo", $"Message {messageId} is not an email received in this chatter, so it cannot be answered here.");

    public async Task<ReplyDraft> DraftAsync(RecordRef record, long messageId, CancellationToken cancellationToken)
    {
        var original = await OriginalAsync(record, messageId, cancellationToken);
        // "On …, Zoë Martin wrote:" when her address is a contact's, as the timeline names her (not "zoe@… wrote:").
        var from = MailboxAddress.TryParse(original.From, out var mailbox) ? mailbox.Address : null;
        var names = await contacts.NamesByEmailAsync([from], cancellationToken);
        var author = from is not null && names.TryGetValue(from, out var name) && name.Length > 0 ? name : original.AuthorName;
        return new ReplyDraft(original.Id, SenderAddress(original), Subject(original.Subject), Quote(original, author));
    }

    /// <summary>"Re: " once: a subject that already starts with Re: (any case, also "RE :" or "Re[2]:") is kept.</summary>
    public static string Subject(string? original)
    {
        var subject = (original ?? "").Trim();
        if (subject.Length == 0)
        {
            return "Re: your message";
        }

        return AlreadyAReply().IsMatch(subject) ? subject : "Re: " + subject;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^re(\[\d+\])?\s*:", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex AlreadyAReply();

    /// <summary>The original below an empty line for the answer: "On &lt;date&gt;, &lt;name&gt; wrote:" and its text as "> " lines.</summary>
    public static string Quote(ChatterMessage original, string? author = null)
    {
        var lines = original.BodyText.Replace("\r\n", "\n").TrimEnd().Split('\n').Select(l => l.Length == 0 || l.StartsWith('>') ? ">" + l : "> " + l);
        return $"\n\nOn {original.CreatedAt.UtcDateTime:ddd, d MMM yyyy 'at' HH:mm} UTC, {author ?? original.AuthorName} wrote:\n{string.Join('\n', lines)}\n";
    }

    /// <summary>Who the answer goes to: the original's Reply-To when it gave one, else its From.</summary>
    public static string? SenderAddress(ChatterMessage original)
    {
        if (original.RawMime is { Content: { } raw } && DeliveryHeaders.Peek(raw) is { } headers)
        {
            if (headers[HeaderId.ReplyTo] is { } replyTo && InternetAddressList.TryParse(replyTo, out var list) && list.Mailboxes.FirstOrDefault() is { } answer)
            {
                return EmailAddress.Normalize(answer.Address);
            }
        }
        return MailboxAddress.TryParse(original.From, out var from) ? EmailAddress.Normalize(from.Address) : null;
    }

    /// <summary>The thread a reply joins: In-Reply-To is the original's Message-ID, References its chain then that id.</summary>
    public static ReplyThread? Thread(ChatterMessage original)
    {
        if (original.MessageId is not { Length: > 0 } id)
        {
            return null;
        }

        var chain = new List<string>();
        if (original.RawMime is { Content: { } raw } && DeliveryHeaders.Peek(raw) is { } headers)
        {
            if (headers[HeaderId.References] is { } references)
            {
                chain.AddRange(MimeUtils.EnumerateReferences(references));
            }
            else if (headers[HeaderId.InReplyTo] is { } inReplyTo)
            {
                chain.AddRange(MimeUtils.EnumerateReferences(inReplyTo));
            }
        }
        chain = chain.Where(r => r != id).Distinct().ToList();
        if (chain.Count >= MaxReferences)
        {
            chain = [chain[0], .. chain.TakeLast(MaxReferences - 2)];
        }

        chain.Add(id);
        return new ReplyThread(id, chain);
    }
}

/// <param name="ReplyTo">The chatter message answered.</param>
public sealed record ReplyDraft(long ReplyTo, string? To, string Subject, string Body);

/// <param name="InReplyTo">The answered email's Message-ID.</param>
/// <param name="References">The thread's Message-IDs, oldest first, ending with <paramref name="InReplyTo"/>.</param>
public sealed record ReplyThread(string InReplyTo, IReadOnlyList<string> References);
