using Parley.Core.Inbound;
using Parley.Smtp.Listener;

namespace Parley.Mail;

/// <summary>
/// The listener's store: commits the raw message to the database before the listener sends 250.
/// A database failure becomes 451, so the sending MTA keeps the message and retries.
/// </summary>
public sealed partial class DatabaseInboundStore(IServiceScopeFactory scopes, ILogger<DatabaseInboundStore> logger) : IInboundMessageStore
{
    public async ValueTask<StoreResult> StoreAsync(SmtpEnvelope envelope, Stream rawMessage, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<InboundStore>();
            var id = await store.StoreAsync(ToInbound(envelope), rawMessage, cancellationToken);
            return StoreResult.Stored($"P{id}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStoreFailed(e, envelope.SessionId);
            return StoreResult.TemporaryFailure("Temporary local problem storing the message; please try again later");
        }
    }

    /// <summary>
    /// The one mapping from the listener's envelope to Core's. What Core does not keep — the client's port, TLS, the
    /// session id — is in the Received header the listener put on top of the message.
    /// </summary>
    private static InboundEnvelope ToInbound(SmtpEnvelope envelope) =>
        new(InboundEnvelope.Smtp, envelope.ClientAddress.ToString(), envelope.Helo, envelope.MailFrom, envelope.Recipients, envelope.ReceivedAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store a message from SMTP session {SessionId}; answered 451")]
    private partial void LogStoreFailed(Exception e, string sessionId);
}
