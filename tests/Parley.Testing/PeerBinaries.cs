namespace Parley.Testing;

/// <summary>
/// Finds peer executables, including the sbin directories that are not on a normal user's PATH. Use it for every peer
/// a test starts: a missing one fails with <see cref="PeerNotInstalledException"/> and the install command.
/// </summary>
public static class PeerBinaries
{
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/bin"];

    /// <summary>The full path of <paramref name="name"/>, or <see cref="PeerNotInstalledException"/> naming the package.</summary>
    public static string Find(string name, string debianPackage) =>
        TryFind(name) ?? throw new PeerNotInstalledException(name, debianPackage);

    /// <summary>The dotnet host that runs these tests, which also runs the built parley.dll.</summary>
    public static string DotNet { get; } =
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? self
            : TryFind("dotnet") ?? throw new InvalidOperationException("'dotnet' is not on PATH: install the .NET SDK that global.json names.");

    private static string? TryFind(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries) ?? [];
        return path.Concat(ExtraDirectories).Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>True when the test process runs as root (peers then drop privileges themselves).</summary>
    public static bool RunningAsRoot => Environment.UserName == "root";
}
