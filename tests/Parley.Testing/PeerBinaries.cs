namespace Parley.Testing;

/// <summary>Finds peer executables, including the sbin directories that are not on a normal user's PATH.</summary>
public static class PeerBinaries
{
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>The full path of <paramref name="name"/>, or <see cref="PeerNotInstalledException"/> naming the package.</summary>
    public static string Find(string name, string debianPackage)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries) ?? [];
        foreach (var directory in path.Concat(ExtraDirectories))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new PeerNotInstalledException(name, debianPackage);
    }

    /// <summary>True when the test process runs as root (peers then drop privileges themselves).</summary>
    public static bool RunningAsRoot => Environment.UserName == "root";
}
