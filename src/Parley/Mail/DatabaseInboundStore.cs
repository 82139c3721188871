using Parley.Core.Inbound;
using Parley.Smtp.Listener;

namespace Parley.Mail;

/// <summary>
/// The listener's store: commits the raw message to the database before the listener sends 250.
/// A database failure becomes 451, so the sending MTA keeps the message and retries.
/// </summary>
public sealed partial class DatabaseInboundStore(IServiceScopeFactory scopes, ILogger<DatabaseInboundStore> logger) : IInboundMessageStore
{
    public async ValueTask<StoreResult> StoreAsync(InboundEnvelope envelope, Stream rawMessage, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<InboundStore>();
            var id = await store.StoreAsync(new InboundEnvelopeData(
                "smtp", envelope.ClientAddress.ToString(), envelope.Helo, envelope.MailFrom, envelope.Recipients, envelope.ReceivedAt), rawMessage, ct);
            return StoreResult.Stored($"P{id}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStoreFailed(e, envelope.SessionId);
            return StoreResult.TemporaryFailure("Temporary local problem storing the message; please try again later");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store a message from SMTP session {SessionId}; answered 451")]
    private partial void LogStoreFailed(Exception e, string sessionId);
}
