using Parley.Testing;

namespace Parley.Deliverability.Tests.Peers;

/// <summary>
/// A fact that needs Debian's dnsmasq and python3-spf (scripts/ installs them). Where they are
/// missing the test is skipped with that reason instead of failing on a machine without peers.
/// </summary>
public sealed class RequiresSpfPeersFactAttribute : FactAttribute
{
    public RequiresSpfPeersFactAttribute()
    {
        if (!File.Exists(PeerPaths.Dnsmasq))
        {
            Skip = $"{PeerPaths.Dnsmasq} is not installed (apt-get install dnsmasq-base).";
        }
        else if (!PySpf.IsAvailable)
        {
            Skip = "python3-spf is not installed for /usr/bin/python3 (apt-get install python3-spf).";
        }
    }
}

/// <summary>A fact that needs Debian's python3-dkim (with python3-nacl for Ed25519); skipped with that reason where missing.</summary>
public sealed class RequiresPyDkimFactAttribute : FactAttribute
{
    public RequiresPyDkimFactAttribute()
    {
        if (!PyDkim.IsAvailable)
        {
            Skip = "python3-dkim (and python3-nacl) is not installed for /usr/bin/python3 (apt-get install python3-dkim).";
        }
    }
}
