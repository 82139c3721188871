namespace Parley.Testing;

/// <summary>
/// A peer the tests need is missing. The one policy for that: the test fails with this, naming the install command;
/// it never skips, since CI installs every peer and a skip would hide a broken set-up.
/// </summary>
public sealed class PeerNotInstalledException(string peer, string debianPackage)
    : Exception($"{peer} was not found. Run `bash scripts/install-peers.sh`, which installs every test peer "
        + $"(this one comes with the Debian package '{debianPackage}').")
{
    public string Peer { get; } = peer;

    public string DebianPackage { get; } = debianPackage;
}
