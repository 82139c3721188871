using System.Net;
using System.Net.Sockets;

namespace Parley.Testing;

/// <summary>
/// dnsmasq as an authoritative test DNS server on 127.0.0.1 and a free port (UDP and TCP), answering only from the
/// given records: names under <c>local</c> zones that are not listed answer NXDOMAIN, listed names without the asked
/// type NODATA. Use it when the code under test resolves names over the wire (SPF, DKIM, DMARC, MX, DNSBL, PTR).
/// Killed on dispose.
/// </summary>
public sealed class DnsmasqPeer : OnePortPeer
{
    private DnsmasqPeer(PeerProcess process, string directory, int port)
        : base(process, directory, port)
    {
    }

    /// <summary>"127.0.0.1:PORT", the form Parley's DNS options take.</summary>
    public string Server => Endpoint;

    /// <param name="records">dnsmasq option lines, e.g. <c>mx-host=customer.test,mx.customer.test,10</c>, <c>host-record=mx.customer.test,127.0.0.1</c>.</param>
    /// <param name="localZones">Zones answered only from <paramref name="records"/>, e.g. "test".</param>
    /// <param name="port">A fixed port (e.g. 53, for peers that only use the system resolver); default: a free one.</param>
    public static async Task<DnsmasqPeer> StartAsync(IEnumerable<string> records, IEnumerable<string>? localZones = null, CancellationToken cancellationToken = default, int? port = null)
    {
        var binary = PeerBinaries.Find("dnsmasq", "dnsmasq-base");
        var directory = Directory.CreateTempSubdirectory("parley-dnsmasq-").FullName;
        var lines = new List<string> { "listen-address=127.0.0.1", "bind-interfaces", "no-resolv", "no-hosts", "no-negcache", "cache-size=0" };
        lines.AddRange((localZones ?? ["test"]).Select(z => $"local=/{z}/"));
        lines.AddRange(records);
        // dnsmasq binds UDP and TCP together; TCP accepting means it is answering.
        var (process, ports) = await StartListeningAsync("dnsmasq", directory, 1, async ports =>
        {
            var config = Path.Combine(directory, "dnsmasq.conf");
            await File.WriteAllLinesAsync(config, [$"port={ports[0]}", .. lines], cancellationToken).ConfigureAwait(false);
            string[] arguments = ["-k", "--conf-file=" + config, "--pid-file", "--log-facility=" + Path.Combine(directory, "log"), .. PeerBinaries.RunningAsRoot ? ["--user=root"] : Array.Empty<string>()];
            return PeerProcess.Start(binary, arguments, TimeSpan.FromMinutes(10));
        }, TimeSpan.FromSeconds(10), cancellationToken, attempts: port is null ? 3 : 1, pickPort: port is { } fixedPort ? () => fixedPort : FreeUdpAndTcpPort).ConfigureAwait(false);
        return new DnsmasqPeer(process, directory, ports[0]);
    }

    /// <summary>A port free for both UDP and TCP on loopback at the time of asking.</summary>
    private static int FreeUdpAndTcpPort()
    {
        for (var attempt = 0; attempt < 20; attempt++)
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
                // Taken for TCP; try another.
            }
        }

        throw new InvalidOperationException("No loopback port is free for both UDP and TCP.");
    }
}
