using System.Collections.Concurrent;

namespace Parley.Testing;

/// <summary>
/// Debian's system Python, which sees Debian's modules (python3-dkim, python3-spf…); the pyenv python3 on PATH does not.
/// Use it for every cross-check against a Python peer.
/// </summary>
public static class DebianPython
{
    public const string Path = "/usr/bin/python3";

    // Asked once per set of modules: the cross-checks call the peers hundreds of times.
    private static readonly ConcurrentDictionary<string, Task> Checked = new();

    /// <summary>Runs <paramref name="script"/> (from a temp file) to its end with <paramref name="input"/> on stdin; see <see cref="RequireAsync"/>.</summary>
    public static async Task<ProcessResult> RunAsync(string script, IEnumerable<string> arguments, byte[] input, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var scriptPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"parley-py-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(scriptPath, script, cancellationToken).ConfigureAwait(false);
        try
        {
            return await PeerProcess.RunAsync(Path, ["-I", scriptPath, .. arguments], timeout, cancellationToken, input: input).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    /// <summary>Fails with <see cref="PeerNotInstalledException"/> unless the system Python can import these modules.</summary>
    /// <param name="modules">As for an import statement, e.g. "dkim, nacl".</param>
    /// <param name="debianPackages">What install-peers.sh installs for them, e.g. "python3-dkim python3-nacl".</param>
    public static Task RequireAsync(string modules, string debianPackages) =>
        Checked.GetOrAdd(modules, _ => CheckAsync(modules, debianPackages));

    private static async Task CheckAsync(string modules, string debianPackages)
    {
        if (!File.Exists(Path))
        {
            throw new PeerNotInstalledException(Path, "python3");
        }

        var result = await PeerProcess.RunAsync(Path, ["-I", "-c", "import " + modules], TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new PeerNotInstalledException($"The Python modules {modules} (for {Path})", debianPackages);
        }
    }
}
