using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Chatter;
using Parley.Core.Data;
using Parley.Core.Records;

namespace Parley.Core.Contacts;

/// <summary>
/// A contact's emails, sent and received, as one mbox file (the mboxrd form mail programs import: each message led by a
/// "From " line, lines that start with "From " quoted with "&gt;"), oldest first, exactly as they left or arrived.
/// Notes and events are not emails and are not in it.
/// </summary>
public sealed class ContactMbox(ParleyDbContext db)
{
    public async Task WriteAsync(long contactId, Stream output, CancellationToken cancellationToken)
    {
        var record = new RecordRef(RecordDirectory.ContactType, contactId);
        var emails = await db.Messages.AsNoTracking()
            .Where(m => m.RecordType == record.Type && m.RecordId == contactId && m.Kind == MessageKind.Email && m.RawMimeId != null)
            .OrderBy(m => m.Id).Select(m => new { m.RawMimeId, m.From, m.CreatedAt }).ToListAsync(cancellationToken);
        foreach (var email in emails)
        {
            // One message in memory at a time: a timeline of years is not read whole.
            var raw = await db.RawMimes.AsNoTracking().Where(r => r.Id == email.RawMimeId).Select(r => r.Content).FirstOrDefaultAsync(cancellationToken);
            if (raw is null)
            {
                continue;
            }

            var sender = MimeKit.MailboxAddress.TryParse(email.From, out var from) && from.Address.Length > 0 ? from.Address : "MAILER-DAEMON";
            var separator = $"From {sender} {email.CreatedAt.UtcDateTime.ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture)}\n";
            await output.WriteAsync(Encoding.ASCII.GetBytes(separator), cancellationToken);
            await output.WriteAsync(Quoted(raw), cancellationToken);
            await output.WriteAsync("\n"u8.ToArray(), cancellationToken);
        }
    }

    /// <summary>The message with LF line ends, "&gt;*From " lines quoted once more, ending with a line end.</summary>
    internal static byte[] Quoted(byte[] raw)
    {
        using var result = new MemoryStream(raw.Length + 64);
        var start = 0;
        while (start < raw.Length)
        {
            var end = Array.IndexOf(raw, (byte)'\n', start);
            var next = end < 0 ? raw.Length : end + 1;
            var length = (end < 0 ? raw.Length : end) - start;
            if (length > 0 && raw[start + length - 1] == '\r')
            {
                length--;
            }

            var line = raw.AsSpan(start, length);
            var quotes = 0;
            while (quotes < line.Length && line[quotes] == '>')
            {
                quotes++;
            }

            if (line[quotes..].StartsWith("From "u8))
            {
                result.WriteByte((byte)'>');
            }

            result.Write(line);
            result.WriteByte((byte)'\n');
            start = next;
        }
        return result.ToArray();
    }
}
