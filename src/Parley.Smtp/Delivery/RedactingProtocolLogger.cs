using System.Text;
using MailKit;
using Microsoft.Extensions.Logging;

namespace Parley.Smtp.Delivery;

/// <summary>
/// MailKit protocol logger that writes the SMTP dialogue to <see cref="ILogger"/> at Trace level and keeps a
/// transcript. AUTH secrets are replaced by "********" (MailKit marks them through
/// <see cref="AuthenticationSecretDetector"/>), and message content is reduced to its size.
/// </summary>
internal sealed partial class RedactingProtocolLogger(ILogger logger, bool keepTranscript) : IProtocolLogger
{
    private const int MaxTranscriptLines = 200;

    private readonly List<string> _transcript = [];
    private bool _inMessageContent;
    private long _contentBytes;

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    public IReadOnlyList<string> Transcript => _transcript;

    /// <summary>
    /// True once the current transaction's content went out (354 received, or BDAT sent). A connection lost after
    /// that may have delivered the message (RFC 1047), so it must not be sent again at once.
    /// </summary>
    public bool DataStarted { get; private set; }

    /// <summary>Called before each MAIL FROM on a pooled connection.</summary>
    public void BeginTransaction() => DataStarted = false;

    public void LogConnect(Uri uri) => Record($"Connected to {uri}");

    public void LogClient(byte[] buffer, int offset, int count)
    {
        if (_inMessageContent)
        {
            _contentBytes += count;
            return;
        }

        var text = Redact(buffer, offset, count);
        if (text.StartsWith("BDAT", StringComparison.OrdinalIgnoreCase))
        {
            DataStarted = true;
        }

        foreach (var line in SplitLines(text))
        {
            Record("C: " + line);
        }
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        if (_inMessageContent)
        {
            Record($"C: <message content, {_contentBytes} bytes>");
            _inMessageContent = false;
        }

        var text = Encoding.UTF8.GetString(buffer, offset, count);
        foreach (var line in SplitLines(text))
        {
            Record("S: " + line);
            if (line.StartsWith("354", StringComparison.Ordinal))
            {
                _inMessageContent = true;
                _contentBytes = 0;
                DataStarted = true;
            }
        }
    }

    public void Dispose()
    {
    }

    private string Redact(byte[] buffer, int offset, int count)
    {
        var secrets = AuthenticationSecretDetector?.DetectSecrets(buffer, offset, count);
        if (secrets is null || secrets.Count == 0)
        {
            return Encoding.UTF8.GetString(buffer, offset, count);
        }

        var builder = new StringBuilder();
        var position = offset;
        foreach (var secret in secrets)
        {
            builder.Append(Encoding.UTF8.GetString(buffer, position, secret.StartIndex - position));
            builder.Append("********");
            position = secret.StartIndex + secret.Length;
        }

        builder.Append(Encoding.UTF8.GetString(buffer, position, offset + count - position));
        return builder.ToString();
    }

    private static IEnumerable<string> SplitLines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);

    private void Record(string line)
    {
        ProtocolLine(logger, line);
        if (keepTranscript && _transcript.Count < MaxTranscriptLines)
        {
            _transcript.Add(line);
        }
    }

    [LoggerMessage(2100, LogLevel.Trace, "SMTP out {Line}")]
    private static partial void ProtocolLine(ILogger logger, string line);
}
