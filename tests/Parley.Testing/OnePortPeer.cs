namespace Parley.Testing;

/// <summary>A <see cref="LoopbackPeer"/> that serves on one port (smtp-sink, dnsmasq, spamd, rspamd).</summary>
public abstract class OnePortPeer : LoopbackPeer
{
    protected OnePortPeer(PeerProcess process, string workDirectory, int port)
        : base(process, workDirectory)
    {
        Port = port;
    }

    public int Port { get; }

    /// <summary>"127.0.0.1:PORT", the form Parley's settings for a server take (SpamTest:Spamd, DNS servers, …).</summary>
    public string Endpoint => $"{Host}:{Port}";
}
