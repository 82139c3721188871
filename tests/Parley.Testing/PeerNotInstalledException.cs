namespace Parley.Testing;

/// <summary>A peer binary the tests need is missing. Tests fail with this rather than skip silently.</summary>
public sealed class PeerNotInstalledException(string binary, string debianPackage)
    : Exception($"'{binary}' was not found. Install the Debian package '{debianPackage}' (apt-get install -y {debianPackage}; scripts/ installs all peers).")
{
    public string Binary { get; } = binary;

    public string DebianPackage { get; } = debianPackage;
}
