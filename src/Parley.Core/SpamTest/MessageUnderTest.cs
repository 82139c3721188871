using System.Text;
using MimeKit;

namespace Parley.Core.SpamTest;

/// <summary>A text, HTML or attachment part found by the bounded walk, decoded as far as its bounds allow.</summary>
public sealed record PartSummary(string ContentType, string? Charset, string? FileName, string? TransferEncoding, long Size, bool IsAttachment, int Depth);

/// <summary>
/// The message the checks look at, read once with bounds, so any input (no headers, 50 MB, 100-deep multiparts,
/// invalid base64, NUL bytes, 8-bit headers, a million recipients) costs bounded work: header fields past
/// <see cref="MaxHeaderField"/> are measured but not parsed, at most <see cref="MaxParts"/> parts and
/// <see cref="MaxDepth"/> levels are walked, and the text the content rules read is cut at <see cref="MaxText"/>.
/// What the bounds left out is listed in <see cref="Problems"/>, which the format checks report.
/// </summary>
public sealed class MessageUnderTest
{
    public const int MaxHeaderField = 64 * 1024;
    public const int MaxParts = 200;
    public const int MaxDepth = 20;
    public const int MaxText = 512 * 1024;
    private const int MaxScan = 8 * 1024 * 1024;

    private MessageUnderTest(byte[] raw) => Raw = raw;

    public byte[] Raw { get; }
    public MimeMessage Message { get; private set; } = new();
    public bool HasHeaderSection { get; private set; }
    public int HeaderBytes { get; private set; }
    public int NulBytes { get; private set; }
    public int EightBitHeaderBytes { get; private set; }
    public int LongLines { get; private set; }
    public int LongestLine { get; private set; }
    public int MaxDepthSeen { get; private set; }
    public IReadOnlyList<string> OversizedHeaders { get; private set; } = [];
    public List<string> Problems { get; } = [];
    public List<PartSummary> Parts { get; } = [];
    public List<MimePart> AttachmentParts { get; } = [];
    public string Text { get; private set; } = "";
    public string? Html { get; private set; }
    public bool HasTextPart { get; private set; }

    public static MessageUnderTest Read(byte[] raw, CancellationToken cancellationToken)
    {
        var m = new MessageUnderTest(raw);
        m.ScanRaw();
        m.Parse(cancellationToken);
        m.Walk(cancellationToken);
        return m;
    }

    /// <summary>Byte-level facts MimeKit would hide: NUL bytes, 8-bit bytes in the header, over-long lines, huge fields.</summary>
    private void ScanRaw()
    {
        var scan = Math.Min(Raw.Length, MaxScan);
        var headerEnd = HeaderEnd(Raw);
        HasHeaderSection = headerEnd > 0 && LooksLikeHeader(Raw);
        HeaderBytes = HasHeaderSection ? headerEnd : 0;
        int lineStart = 0;
        for (var i = 0; i < scan; i++)
        {
            var b = Raw[i];
            if (b == 0)
            {
                NulBytes++;
            }
            else if (b >= 0x80 && i < HeaderBytes)
            {
                EightBitHeaderBytes++;
            }

            if (b == '\n')
            {
                var length = i - lineStart - (i > 0 && Raw[i - 1] == '\r' ? 1 : 0);
                if (length > 998)
                {
                    LongLines++;
                }

                LongestLine = Math.Max(LongestLine, length);
                lineStart = i + 1;
            }
        }

        if (scan < Raw.Length)
        {
            Problems.Add($"Only the first {MaxScan / (1024 * 1024)} MB were scanned byte by byte.");
        }
    }

    private static bool LooksLikeHeader(byte[] raw)
    {
        // "Name:" with printable name characters on the first line.
        for (var i = 0; i < Math.Min(raw.Length, 200); i++)
        {
            var b = raw[i];
            if (b == ':')
            {
                return i > 0;
            }

            if (b <= 32 || b >= 127)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The offset of the blank line that ends the header section, or the length when there is none.</summary>
    private static int HeaderEnd(byte[] raw)
    {
        for (var i = 0; i + 1 < raw.Length; i++)
        {
            if (raw[i] == '\n' && (raw[i + 1] == '\n' || (raw[i + 1] == '\r' && i + 2 < raw.Length && raw[i + 2] == '\n')))
            {
                return i + 1;
            }
        }

        return raw.Length;
    }

    private void Parse(CancellationToken cancellationToken)
    {
        var bytes = HasHeaderSection ? WithoutOversizedFields() : Encoding.ASCII.GetBytes("X-Parley-Note: no header section\r\n\r\n").Concat(Raw).ToArray();
        try
        {
            var options = new ParserOptions { MaxMimeDepth = MaxDepth };
            using var stream = new MemoryStream(bytes, writable: false);
            Message = MimeMessage.Load(options, stream, cancellationToken);
        }
        catch (Exception e) when (e is FormatException or ParseException)
        {
            Problems.Add("The message could not be parsed: " + e.Message);
            Message = new MimeMessage();
        }
    }

    /// <summary>The raw message with header fields over <see cref="MaxHeaderField"/> left out (and named), so parsing stays cheap.</summary>
    private byte[] WithoutOversizedFields()
    {
        var oversized = new List<string>();
        using var kept = new MemoryStream(Raw.Length);
        int i = 0;
        while (i < HeaderBytes)
        {
            // A field runs until a line that does not start with white space (folding).
            var start = i;
            do
            {
                var newline = Array.IndexOf(Raw, (byte)'\n', i, HeaderBytes - i);
                i = newline < 0 ? HeaderBytes : newline + 1;
            }
            while (i < HeaderBytes && (Raw[i] == ' ' || Raw[i] == '\t'));

            if (i - start > MaxHeaderField)
            {
                var colon = Array.IndexOf(Raw, (byte)':', start, Math.Min(100, i - start));
                oversized.Add(colon > start ? Encoding.ASCII.GetString(Raw, start, colon - start) : "(unnamed)");
            }
            else
            {
                kept.Write(Raw, start, i - start);
            }
        }

        if (oversized.Count == 0)
        {
            return Raw;
        }

        OversizedHeaders = oversized;
        kept.Write(Raw, HeaderBytes, Raw.Length - HeaderBytes);
        return kept.ToArray();
    }

    private void Walk(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var html = new StringBuilder();
        var stack = new Stack<(MimeEntity Entity, int Depth)>();
        if (Message.Body is { } body)
        {
            stack.Push((body, 1));
        }

        var visited = 0;
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (entity, depth) = stack.Pop();
            MaxDepthSeen = Math.Max(MaxDepthSeen, depth);
            if (++visited > MaxParts)
            {
                Problems.Add($"The message has more than {MaxParts} MIME parts; only the first {MaxParts} were checked.");
                break;
            }

            switch (entity)
            {
                case Multipart multipart:
                    for (var i = multipart.Count - 1; i >= 0; i--)
                    {
                        stack.Push((multipart[i], depth + 1));
                    }

                    break;
                case MessagePart { Message.Body: { } inner }:
                    stack.Push((inner, depth + 1));
                    break;
                case MimePart part:
                    Summarize(part, depth, text, html);
                    break;
            }
        }

        Text = text.ToString();
        Html = html.Length > 0 ? html.ToString() : null;
    }

    private void Summarize(MimePart part, int depth, StringBuilder text, StringBuilder html)
    {
        var size = part.Content?.Stream is { CanSeek: true } s ? s.Length : 0;
        var isAttachment = part.IsAttachment || part.FileName is not null && part is not TextPart;
        var encoding = part.Headers[HeaderId.ContentTransferEncoding]?.Trim().ToLowerInvariant();
        Parts.Add(new PartSummary(part.ContentType.MimeType.ToLowerInvariant(), part.ContentType.Charset, part.FileName, encoding, size, isAttachment, depth));
        CheckEncoding(part, encoding);
        if (isAttachment)
        {
            AttachmentParts.Add(part);
            return;
        }

        if (part is TextPart textPart)
        {
            var target = textPart.IsHtml ? html : text;
            if (!textPart.IsHtml && textPart.IsPlain)
            {
                HasTextPart = true;
            }

            if (target.Length >= MaxText)
            {
                return;
            }

            string decoded;
            try
            {
                decoded = textPart.Text ?? "";
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or FormatException)
            {
                Problems.Add($"The {part.ContentType.MimeType} part could not be decoded: {e.Message}");
                return;
            }

            target.Append(decoded.AsSpan(0, Math.Min(decoded.Length, MaxText - target.Length)));
            target.Append('\n');
        }
    }

    /// <summary>Base64 with characters outside its alphabet, or quoted-printable with a broken "=XX": decoders drop them silently.</summary>
    private void CheckEncoding(MimePart part, string? encoding)
    {
        if (encoding is not ("base64" or "quoted-printable") || part.Content?.Stream is not { CanSeek: true } stream)
        {
            return;
        }

        stream.Position = 0;
        var buffer = new byte[Math.Min(stream.Length, 1024 * 1024)];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        var bad = 0;
        for (var i = 0; i < read; i++)
        {
            var b = buffer[i];
            if (encoding == "base64")
            {
                if (!(b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'+' or (byte)'/' or (byte)'=' or (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t'))
                {
                    bad++;
                }
            }
            else if (b == '=' && i + 2 < read && buffer[i + 1] != '\r' && buffer[i + 1] != '\n' && !(Uri.IsHexDigit((char)buffer[i + 1]) && Uri.IsHexDigit((char)buffer[i + 2])))
            {
                bad++;
            }
        }

        if (bad > 0)
        {
            Problems.Add($"The {part.ContentType.MimeType} part has {bad} byte{(bad == 1 ? "" : "s")} that are not valid {encoding}; receivers decode it differently or reject it.");
        }
    }
}
