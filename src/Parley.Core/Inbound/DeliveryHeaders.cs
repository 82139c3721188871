using MimeKit;

namespace Parley.Core.Inbound;

/// <summary>
/// Recipients read from a message's headers, for mail that reaches Parley without its SMTP envelope: fetched
/// from a mailbox, or piped by Postfix's local delivery to <c>parley mailgate</c>. Delivering servers prepend
/// X-Original-To and Delivered-To; header order is kept, so the topmost (the last hop's) comes first and
/// wins when the router tries aliases in order.
/// </summary>
public static class DeliveryHeaders
{
    /// <summary>How much of a message is read for its headers: more is a body, or a header section no one sends.</summary>
    public const int MaxPeekBytes = 64 * 1024;

    /// <summary>The headers at the start of a raw message (at most <see cref="MaxPeekBytes"/>); null when malformed.</summary>
    public static HeaderList? Peek(ArraySegment<byte> raw)
    {
        try
        {
            using var stream = new MemoryStream(raw.Array ?? [], raw.Offset, Math.Min(raw.Count, MaxPeekBytes), writable: false);
            return HeaderList.Load(stream);
        }
        catch (FormatException)
        {
            return null; // malformed: stored raw all the same
        }
    }

    /// <summary>
    /// Addresses in X-Original-To and Delivered-To, plus To and Cc when asked, in header order without repeats. With
    /// <paramref name="topmostOnly"/>, only the first header of each delivery kind: the one the delivering server
    /// prepended, above anything the sender wrote — so a sender cannot pick the alias by adding its own.
    /// </summary>
    public static List<string> Recipients(HeaderList? headers, bool includeToAndCc, bool topmostOnly = false)
    {
        var result = new List<string>();
        if (headers is null)
        {
            return result;
        }

        bool sawDeliveredTo = false, sawOriginalTo = false;
        foreach (var header in headers)
        {
            var deliveredTo = header.Field.Equals("Delivered-To", StringComparison.OrdinalIgnoreCase);
            var originalTo = header.Field.Equals("X-Original-To", StringComparison.OrdinalIgnoreCase);
            if (topmostOnly && ((deliveredTo && sawDeliveredTo) || (originalTo && sawOriginalTo)))
            {
                continue;
            }

            sawDeliveredTo |= deliveredTo;
            sawOriginalTo |= originalTo;
            var delivery = deliveredTo || originalTo;
            if (!delivery && !(includeToAndCc && header.Id is (HeaderId.To or HeaderId.Cc)))
            {
                continue;
            }

            if (!InternetAddressList.TryParse(header.Value, out var list))
            {
                continue;
            }

            foreach (var mailbox in list.Mailboxes)
            {
                if (!result.Contains(mailbox.Address, StringComparer.OrdinalIgnoreCase))
                {
                    result.Add(mailbox.Address);
                }
            }
        }
        return result;
    }
}
