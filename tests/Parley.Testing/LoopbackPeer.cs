using System.Net.Sockets;

namespace Parley.Testing;

/// <summary>
/// The one start-up and shutdown of a peer server on 127.0.0.1 (smtp-sink, dovecot, dnsmasq, spamd, rspamd): its
/// process and the temp directory it works in, both gone on dispose. <see cref="StartListeningAsync"/> waits until it
/// accepts on its ports and tries fresh ports when one was taken in between.
/// </summary>
public abstract class LoopbackPeer : IAsyncDisposable
{
    private bool _disposed;

    protected LoopbackPeer(PeerProcess process, string workDirectory)
    {
        Process = process;
        WorkDirectory = workDirectory;
    }

    public string Host => "127.0.0.1";

    protected PeerProcess Process { get; set; }

    /// <summary>The peer's own temp directory (configuration, state, logs, dumps); deleted on dispose.</summary>
    protected string WorkDirectory { get; }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAsync().ConfigureAwait(false);
        DeleteWorkDirectory(WorkDirectory);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the peer before its directory goes; by default kills its process tree.</summary>
    protected virtual async Task StopAsync() => await Process.DisposeAsync().ConfigureAwait(false);

    /// <summary>
    /// Starts a peer and waits until it accepts TCP connections on each of its ports. A port picked free may be
    /// taken before the peer binds it, so an attempt whose port turns out taken is repeated with fresh ports, up to
    /// <paramref name="attempts"/> times. A peer that does not come up is killed, its directory deleted, and the
    /// exception names it with its standard error.
    /// </summary>
    /// <param name="peer">Its name in the failure, e.g. "smtp-sink".</param>
    /// <param name="portCount">How many ports one attempt picks (and waits for).</param>
    /// <param name="launch">Starts one attempt on the given ports, writing any configuration they go in.</param>
    /// <param name="pickPort">Picks one port; default <see cref="FreePort.Get"/>.</param>
    protected static async Task<(PeerProcess Process, int[] Ports)> StartListeningAsync(string peer, string workDirectory, int portCount,
        Func<int[], Task<PeerProcess>> launch, TimeSpan timeout, CancellationToken cancellationToken, int attempts = 3, Func<int>? pickPort = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ports = Enumerable.Range(0, portCount).Select(_ => (pickPort ?? FreePort.Get)()).ToArray();
            var process = await launch(ports).ConfigureAwait(false);
            try
            {
                foreach (var port in ports)
                {
                    await FreePort.WaitUntilListeningAsync(port, timeout, cancellationToken, () => !process.HasExited).ConfigureAwait(false);
                }

                return (process, ports);
            }
            catch (SocketException) when (attempt < attempts)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                var log = process.StandardError;
                await process.DisposeAsync().ConfigureAwait(false);
                DeleteWorkDirectory(workDirectory);
                throw new InvalidOperationException($"{peer} did not start: {log}", e);
            }
        }
    }

    /// <summary>A file the peer may still be writing (a log, a dump); empty when it is not there (yet, or any more).</summary>
    protected static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void DeleteWorkDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still held or written by a dying peer process; the OS cleans temp later.
        }
    }
}
