using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Parley.Deliverability.Dns;

namespace Parley.Deliverability.Tests.Peers;

/// <summary>
/// A real DNS server for tests: dnsmasq on 127.0.0.1 and a free port, answering only from the
/// records given (names under the configured local zones that are not listed answer NXDOMAIN).
/// Started by <see cref="StartAsync"/>, killed by <see cref="DisposeAsync"/>.
/// </summary>
public sealed class Dnsmasq : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/dnsmasq";

    private readonly Process _process;
    private readonly string _directory;

    private Dnsmasq(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string Server => $"127.0.0.1:{Port}";

    /// <param name="records">dnsmasq option lines such as <c>txt-record=a.test,"v=spf1 -all"</c>.</param>
    public static async Task<Dnsmasq> StartAsync(IEnumerable<string> records, IEnumerable<string> localZones, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("parley-dnsmasq-").FullName;
        var port = FreePort();
        var config = new StringBuilder()
            .AppendLine($"port={port}")
            .AppendLine("listen-address=127.0.0.1")
            .AppendLine("bind-interfaces")
            .AppendLine("no-resolv")
            .AppendLine("no-hosts")
            .AppendLine("no-negcache")
            .AppendLine("cache-size=0");
        foreach (var zone in localZones)
        {
            config.AppendLine($"local=/{zone}/");
        }

        foreach (var line in records)
        {
            config.AppendLine(line);
        }

        var configPath = Path.Combine(directory, "dnsmasq.conf");
        await File.WriteAllTextAsync(configPath, config.ToString(), cancellationToken);
        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "-k", "--conf-file=" + configPath, "--pid-file", "--user=root", "--log-facility=" + Path.Combine(directory, "log") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dnsmasq did not start");
        var server = new Dnsmasq(process, directory, port);
        await server.WaitUntilAnsweringAsync(cancellationToken);
        return server;
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        var probe = new DnsClientResolver(new DnsOptions { Servers = [Server], Timeout = TimeSpan.FromMilliseconds(200), Retries = 0 });
        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("dnsmasq exited: " + await _process.StandardError.ReadToEndAsync(cancellationToken));
            }

            var answer = await probe.QueryAsync("probe.invalid-parley.test", DnsRecordType.A, cancellationToken);
            if (!answer.IsTemporaryFailure)
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException("dnsmasq did not answer within 10 s");
    }

    /// <summary>A port free for both UDP and TCP on loopback at the time of asking.</summary>
    private static int FreePort()
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free loopback port");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
