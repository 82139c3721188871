namespace Parley.Testing;

/// <summary>
/// SpamAssassin's spamd on 127.0.0.1 and a free port, local tests only (-L: no DNS or network rules), no per-user
/// configuration (-x), two children. A few seconds to start. Stopped on dispose.
/// </summary>
public sealed class SpamdPeer : IAsyncDisposable
{
    private readonly PeerProcess _process;
    private readonly string _directory;

    private SpamdPeer(PeerProcess process, string directory, int port) => (_process, _directory, Port) = (process, directory, port);

    public int Port { get; }

    /// <summary>"127.0.0.1:PORT", as Parley's SpamTest:Spamd setting and <c>--spamd</c> take it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>spamd's log (its standard error).</summary>
    public string Log => _process.StandardError;

    public static async Task<SpamdPeer> StartAsync(CancellationToken cancellationToken = default)
    {
        var binary = PeerBinaries.Find("spamd", "spamd");
        var directory = Directory.CreateTempSubdirectory("parley-spamd-").FullName;
        var port = FreePort.Get();
        string[] arguments = [$"--listen=127.0.0.1:{port}", "-L", "-x", "-m", "2", $"--pidfile={Path.Combine(directory, "spamd.pid")}", .. PeerBinaries.RunningAsRoot ? ["-u", "nobody"] : Array.Empty<string>()];
        var process = PeerProcess.Start(binary, arguments, TimeSpan.FromMinutes(10));
        try
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), cancellationToken, () => !process.HasExited).ConfigureAwait(false);
            return new SpamdPeer(process, directory, port);
        }
        catch (Exception e)
        {
            var log = process.StandardError;
            await process.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"spamd did not start: {log}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_directory, recursive: true);
    }
}
