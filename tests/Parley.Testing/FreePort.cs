using System.Net;
using System.Net.Sockets;

namespace Parley.Testing;

/// <summary>Free loopback TCP ports for peers that cannot bind port 0 themselves.</summary>
public static class FreePort
{
    /// <summary>A port the OS just handed out on 127.0.0.1; free now, though nothing reserves it.</summary>
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, CancellationToken ct, Func<bool>? stillRunning = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, ct).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && (stillRunning?.Invoke() ?? true))
            {
                await Task.Delay(25, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Waits until nothing accepts connections on 127.0.0.1:<paramref name="port"/> any more: a killed peer's listening
    /// socket can outlive the kill by a moment, and a probe would otherwise find the old process instead of its successor.
    /// </summary>
    public static async Task WaitUntilClosedAsync(int port, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, ct).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                return;
            }
            await Task.Delay(25, ct).ConfigureAwait(false);
        }
        throw new TimeoutException($"Port {port} still accepts connections {timeout.TotalSeconds:0} s after its peer was stopped.");
    }

    /// <summary>A loopback port nothing listens on (for connection-refused tests).</summary>
    public static int GetClosed() => Get();
}
