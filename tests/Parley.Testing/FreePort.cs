using System.Net;
using System.Net.Sockets;

namespace Parley.Testing;

/// <summary>
/// Free loopback TCP ports for peers that cannot bind port 0 themselves, and the waits for a peer to listen or to have
/// stopped. Use it inside a peer's start; tests take the port from the peer.
/// </summary>
public static class FreePort
{
    /// <summary>A port the OS just handed out on 127.0.0.1; free now, though nothing reserves it.</summary>
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>. Throws the last
    /// <see cref="SocketException"/> when nothing does in time, or when the peer stops running first (it could
    /// not bind: the caller may try another port).
    /// </summary>
    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, CancellationToken cancellationToken, Func<bool>? stillRunning = null)
    {
        SocketException? refused = null;
        var listening = false;
        try
        {
            listening = await Eventually.UntilAsync(async () =>
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (SocketException e)
                {
                    refused = e;
                    return false;
                }
            }, up => up || !(stillRunning?.Invoke() ?? true), timeout, $"a peer listens on 127.0.0.1:{port}", TimeSpan.FromMilliseconds(25), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutException) when (refused is not null)
        {
        }

        if (!listening)
        {
            throw refused!;
        }
    }

    /// <summary>
    /// Waits until nothing accepts connections on 127.0.0.1:<paramref name="port"/> any more: a killed peer's listening
    /// socket can outlive the kill by a moment, and a probe would otherwise find the old process instead of its successor.
    /// </summary>
    public static Task WaitUntilClosedAsync(int port, TimeSpan timeout, CancellationToken cancellationToken) =>
        Eventually.UntilAsync(async () =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
        }, timeout, $"127.0.0.1:{port} stops accepting connections after its peer was stopped", TimeSpan.FromMilliseconds(25), cancellationToken);

    /// <summary>A loopback port nothing listens on (for connection-refused tests).</summary>
    public static int GetClosed() => Get();
}
