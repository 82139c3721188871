using System.Buffers;
using System.Text;

namespace Parley.Smtp.Listener.Protocol;

/// <summary>One SMTP reply: code, optional enhanced status code (RFC 3463) and one or more text lines.</summary>
internal readonly record struct SmtpReply(int Code, string? EnhancedCode, string Text)
{
    public bool IsPositive => Code < 400;

    /// <summary>Writes the reply with CRLF line endings, multi-line form for text containing '\n'.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        var lines = Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var separator = i == lines.Length - 1 ? ' ' : '-';
            var line = EnhancedCode is null || lines[i].Length == 0 && i > 0
                ? $"{Code}{separator}{lines[i]}\r\n"
                : $"{Code}{separator}{EnhancedCode} {lines[i]}\r\n";
            Encoding.UTF8.GetBytes(line, writer);
        }
    }

    public override string ToString() =>
        EnhancedCode is null ? $"{Code} {Text}" : $"{Code} {EnhancedCode} {Text}";

    // Replies used in more than one place; texts follow Postfix where clients and admins know them.
    public static readonly SmtpReply Ok = new(250, "2.0.0", "Ok");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "Ok");
    public static readonly SmtpReply StartMailInput = new(354, null, "End data with <CR><LF>.<CR><LF>");
    public static readonly SmtpReply CommandUnrecognized = new(500, "5.5.2", "Error: command not recognized");
    public static readonly SmtpReply CommandLineTooLong = new(500, "5.5.2", "Error: line too long");
    public static readonly SmtpReply NotImplemented = new(502, "5.5.1", "Error: command not implemented");
    public static readonly SmtpReply NeedHelo = new(503, "5.5.1", "Error: send HELO/EHLO first");
    public static readonly SmtpReply NeedMail = new(503, "5.5.1", "Error: need MAIL command");
    public static readonly SmtpReply NeedRcpt = new(503, "5.5.1", "Error: need RCPT command");
    public static readonly SmtpReply NestedMail = new(503, "5.5.1", "Error: nested MAIL command");
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "Error: too many recipients");
    public static readonly SmtpReply MessageTooBig = new(552, "5.3.4", "Error: message file too big");
    public static readonly SmtpReply InsufficientStorage = new(452, "4.3.1", "Insufficient system storage, try again later");
    public static readonly SmtpReply StoreFailed = new(451, "4.3.0", "Error: queue file write error, try again later");
}
