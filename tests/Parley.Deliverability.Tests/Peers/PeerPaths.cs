namespace Parley.Deliverability.Tests.Peers;

/// <summary>Where Debian puts the peers these tests need.</summary>
internal static class PeerPaths
{
    public const string Dnsmasq = "/usr/sbin/dnsmasq";
}
