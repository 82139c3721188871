using System.Net;
using Microsoft.Extensions.Logging;

namespace Parley.Smtp.Listener.Session;

/// <summary>Source-generated log messages of the listener's hot paths.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Debug, "SMTP session {SessionId} from {Client} started")]
    public static partial void SessionStarted(ILogger logger, string sessionId, IPEndPoint client);

    [LoggerMessage(1001, LogLevel.Debug, "SMTP session {SessionId} ended after {MessageCount} message(s)")]
    public static partial void SessionEnded(ILogger logger, string sessionId, int messageCount);

    [LoggerMessage(1002, LogLevel.Trace, "SMTP {SessionId} C: {Line}")]
    public static partial void CommandReceived(ILogger logger, string sessionId, string line);

    [LoggerMessage(1003, LogLevel.Trace, "SMTP {SessionId} S: {Code} {EnhancedCode} {Text}")]
    public static partial void ReplySent(ILogger logger, string sessionId, int code, string? enhancedCode, string text);

    [LoggerMessage(1004, LogLevel.Information, "SMTP {SessionId} received message from <{MailFrom}> for {RecipientCount} recipient(s), {Size} bytes, replied {Code}")]
    public static partial void MessageReceived(ILogger logger, string sessionId, string mailFrom, int recipientCount, long size, int code);

    [LoggerMessage(1005, LogLevel.Information, "SMTP {SessionId} rejected message: {Reason} ({Size} bytes)")]
    public static partial void MessageRejected(ILogger logger, string sessionId, string reason, long size);

    [LoggerMessage(1006, LogLevel.Information, "SMTP {SessionId} rejected recipient <{Address}>: {Code} {Text}")]
    public static partial void RecipientRejected(ILogger logger, string sessionId, string address, int code, string text);

    [LoggerMessage(1007, LogLevel.Information, "SMTP {SessionId} timed out ({Stage})")]
    public static partial void SessionTimedOut(ILogger logger, string sessionId, string stage);

    [LoggerMessage(1008, LogLevel.Debug, "SMTP {SessionId} connection lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string sessionId, string reason);

    [LoggerMessage(1009, LogLevel.Error, "SMTP {SessionId} failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(1010, LogLevel.Error, "SMTP {SessionId}: the inbound store failed; replied 451")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(1011, LogLevel.Error, "SMTP {SessionId}: the recipient policy failed; replied 451")]
    public static partial void RecipientPolicyFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(1012, LogLevel.Debug, "SMTP {SessionId} started TLS ({Protocol})")]
    public static partial void TlsStarted(ILogger logger, string sessionId, string protocol);

    [LoggerMessage(1020, LogLevel.Information, "SMTP listener on {EndPoint}")]
    public static partial void ListenerStarted(ILogger logger, EndPoint endPoint);

    [LoggerMessage(1021, LogLevel.Information, "SMTP listener on {EndPoint} stopped")]
    public static partial void ListenerStopped(ILogger logger, EndPoint endPoint);

    [LoggerMessage(1022, LogLevel.Warning, "SMTP refused connection from {Client}: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, IPAddress client, string reason);

    [LoggerMessage(1023, LogLevel.Error, "SMTP listener failed to accept a connection")]
    public static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(1024, LogLevel.Information, "SMTP listener removed {Count} spool file(s) of messages a previous run did not finish receiving, in {Directory}")]
    public static partial void SpoolLeftoversRemoved(ILogger logger, int count, string directory);
}
