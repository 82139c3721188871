namespace Parley.Testing;

/// <summary>
/// rspamd with Debian's rules, its normal worker (POST /checkv2), controller and proxy on 127.0.0.1 and free ports, state
/// and logs in a temp directory, DNS only from <c>dns</c> (so no lookup leaves the machine: its remote maps do not
/// resolve). About 30 s to compile its rules on the first start. Stopped on dispose.
/// </summary>
public sealed class RspamdPeer : IAsyncDisposable
{
    private readonly PeerProcess _process;
    private readonly string _directory;

    private RspamdPeer(PeerProcess process, string directory, int port) => (_process, _directory, Port) = (process, directory, port);

    /// <summary>The normal worker's port, where /checkv2 answers.</summary>
    public int Port { get; }

    /// <summary>"127.0.0.1:PORT", as Parley's SpamTest:Rspamd setting and <c>--rspamd</c> take it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public string Log => File.Exists(Path.Combine(_directory, "rspamd.log")) ? File.ReadAllText(Path.Combine(_directory, "rspamd.log")) : _process.StandardError;

    /// <param name="dns">The DNS server rspamd asks, HOST:PORT (a <see cref="DnsmasqPeer"/>).</param>
    public static async Task<RspamdPeer> StartAsync(string dns, CancellationToken cancellationToken = default)
    {
        var binary = PeerBinaries.Find("rspamd", "rspamd");
        var directory = Directory.CreateTempSubdirectory("parley-rspamd-").FullName;
        var overrides = Directory.CreateDirectory(Path.Combine(directory, "local", "override.d")).FullName;
        int normal = FreePort.Get(), controller = FreePort.Get(), proxy = FreePort.Get();
        // LOCAL_CONFDIR is ours: the system's /etc/rspamd stays as it is, and these override its sockets and resolver.
        await File.WriteAllTextAsync(Path.Combine(overrides, "worker-normal.inc"), $"bind_socket = \"127.0.0.1:{normal}\";\ncount = 1;\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(overrides, "worker-controller.inc"), $"bind_socket = \"127.0.0.1:{controller}\";\ncount = 1;\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(overrides, "worker-proxy.inc"), $"bind_socket = \"127.0.0.1:{proxy}\";\ncount = 1;\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(overrides, "options.inc"), $"dns {{ nameserver = [\"{dns}\"]; }}\n", cancellationToken).ConfigureAwait(false);
        List<string> arguments = ["-f", "-c", "/etc/rspamd/rspamd.conf", $"--var=DBDIR={directory}", $"--var=RUNDIR={directory}", $"--var=LOGDIR={directory}", $"--var=LOCAL_CONFDIR={Path.Combine(directory, "local")}"];
        if (PeerBinaries.RunningAsRoot)
        {
            var chown = await PeerProcess.RunAsync(PeerBinaries.Find("chown", "coreutils"), ["-R", "_rspamd:_rspamd", directory], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            if (chown.ExitCode != 0)
            {
                throw new InvalidOperationException($"chown _rspamd failed (is the rspamd package installed?): {chown.StandardError}");
            }

            arguments.InsertRange(1, ["-u", "_rspamd", "-g", "_rspamd"]);
        }

        var process = PeerProcess.Start(binary, arguments, TimeSpan.FromMinutes(15));
        try
        {
            await FreePort.WaitUntilListeningAsync(normal, TimeSpan.FromSeconds(120), cancellationToken, () => !process.HasExited).ConfigureAwait(false);
            return new RspamdPeer(process, directory, normal);
        }
        catch (Exception e)
        {
            var log = process.StandardError;
            await process.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"rspamd did not start: {log}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_directory, recursive: true);
    }
}
