namespace Parley.Testing;

/// <summary>
/// rspamd with Debian's rules, its normal worker (POST /checkv2), controller and proxy on 127.0.0.1 and free ports, state
/// and logs in a temp directory, DNS only from <c>dns</c> (so no lookup leaves the machine: its remote maps do not
/// resolve). About 30 s to compile its rules on the first start. Stopped on dispose. Its port is the normal worker's,
/// where /checkv2 answers; its <see cref="OnePortPeer.Endpoint"/> is what Parley's SpamTest:Rspamd setting and
/// <c>--rspamd</c> take.
/// </summary>
public sealed class RspamdPeer : OnePortPeer
{
    private RspamdPeer(PeerProcess process, string directory, int port)
        : base(process, directory, port)
    {
    }

    public string Log => File.Exists(Path.Combine(WorkDirectory, "rspamd.log")) ? File.ReadAllText(Path.Combine(WorkDirectory, "rspamd.log")) : Process.StandardError;

    /// <param name="dns">The DNS server rspamd asks, HOST:PORT (a <see cref="DnsmasqPeer"/>).</param>
    public static async Task<RspamdPeer> StartAsync(string dns, CancellationToken cancellationToken = default)
    {
        var binary = PeerBinaries.Find("rspamd", "rspamd");
        var directory = Directory.CreateTempSubdirectory("parley-rspamd-").FullName;
        var overrides = Directory.CreateDirectory(Path.Combine(directory, "local", "override.d")).FullName;
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

        // Only the normal worker's port is waited for; the controller and proxy need a port of their own.
        var (process, ports) = await StartListeningAsync("rspamd", directory, 1, async ports =>
        {
            // LOCAL_CONFDIR is ours: the system's /etc/rspamd stays as it is, and these override its sockets and resolver.
            await WriteOverrideAsync(overrides, "worker-normal.inc", $"bind_socket = \"127.0.0.1:{ports[0]}\";\ncount = 1;\n", cancellationToken).ConfigureAwait(false);
            await WriteOverrideAsync(overrides, "worker-controller.inc", $"bind_socket = \"127.0.0.1:{FreePort.Get()}\";\ncount = 1;\n", cancellationToken).ConfigureAwait(false);
            await WriteOverrideAsync(overrides, "worker-proxy.inc", $"bind_socket = \"127.0.0.1:{FreePort.Get()}\";\ncount = 1;\n", cancellationToken).ConfigureAwait(false);
            await WriteOverrideAsync(overrides, "options.inc", $"dns {{ nameserver = [\"{dns}\"]; }}\n", cancellationToken).ConfigureAwait(false);
            return PeerProcess.Start(binary, arguments, TimeSpan.FromMinutes(15));
        }, TimeSpan.FromSeconds(120), cancellationToken, attempts: 1).ConfigureAwait(false);
        return new RspamdPeer(process, directory, ports[0]);
    }

    private static Task WriteOverrideAsync(string overrides, string name, string text, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(overrides, name), text, cancellationToken);
}
