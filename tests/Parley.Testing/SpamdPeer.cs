namespace Parley.Testing;

/// <summary>
/// SpamAssassin's spamd on 127.0.0.1 and a free port, local tests only (-L: no DNS or network rules), no per-user
/// configuration (-x), two children. A few seconds to start. Stopped on dispose. Its <see cref="OnePortPeer.Endpoint"/> is
/// what Parley's SpamTest:Spamd setting and <c>--spamd</c> take.
/// </summary>
public sealed class SpamdPeer : OnePortPeer
{
    private SpamdPeer(PeerProcess process, string directory, int port)
        : base(process, directory, port)
    {
    }

    /// <summary>spamd's log (its standard error).</summary>
    public string Log => Process.StandardError;

    public static async Task<SpamdPeer> StartAsync(CancellationToken cancellationToken = default)
    {
        var binary = PeerBinaries.Find("spamd", "spamd");
        var directory = Directory.CreateTempSubdirectory("parley-spamd-").FullName;
        var (process, ports) = await StartListeningAsync("spamd", directory, 1, ports =>
        {
            string[] arguments = [$"--listen=127.0.0.1:{ports[0]}", "-L", "-x", "-m", "2", $"--pidfile={Path.Combine(directory, "spamd.pid")}", .. PeerBinaries.RunningAsRoot ? ["-u", "nobody"] : Array.Empty<string>()];
            return Task.FromResult(PeerProcess.Start(binary, arguments, TimeSpan.FromMinutes(10)));
        }, TimeSpan.FromSeconds(60), cancellationToken, attempts: 1).ConfigureAwait(false);
        return new SpamdPeer(process, directory, ports[0]);
    }
}
