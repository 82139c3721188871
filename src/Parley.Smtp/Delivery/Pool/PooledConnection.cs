namespace Parley.Smtp.Delivery.Pool;

/// <summary>An open, authenticated SMTP session that the pool lends to one sender at a time.</summary>
internal sealed class PooledConnection(ParleySmtpClient client, RedactingProtocolLogger protocolLog, EndpointKey endpoint, DateTimeOffset openedAt)
{
    public ParleySmtpClient Client { get; } = client;

    public RedactingProtocolLogger ProtocolLog { get; } = protocolLog;

    public EndpointKey Endpoint { get; } = endpoint;

    public DateTimeOffset OpenedAt { get; } = openedAt;

    public DateTimeOffset LastUsed { get; set; } = openedAt;

    /// <summary>Transactions completed on this session.</summary>
    public int Messages { get; set; }

    /// <summary>QUIT (bounded in time), then release the socket. Never throws: the session is being discarded.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        try
        {
            if (Client.IsConnected)
            {
                using var limit = new CancellationTokenSource(timeout);
                await Client.DisconnectAsync(quit: true, limit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or MailKit.ProtocolException
            or MailKit.Net.Smtp.SmtpCommandException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // The peer is already gone or slow to say goodbye; the socket is closed by Dispose.
        }
        finally
        {
            Client.Dispose();
        }
    }
}
