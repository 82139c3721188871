namespace Parley.Testing;

/// <summary>
/// Debian's system Python, which sees Debian's modules (python3-dkim, python3-spf…); the pyenv python3 on PATH does not.
/// Use it for every cross-check against a Python peer.
/// </summary>
public static class DebianPython
{
    public const string Path = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> (from a temp file) to its end with <paramref name="input"/> on stdin.</summary>
    public static async Task<ProcessResult> RunAsync(string script, IEnumerable<string> arguments, byte[] input, TimeSpan timeout, CancellationToken ct)
    {
        var scriptPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"parley-py-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(scriptPath, script, ct).ConfigureAwait(false);
        try
        {
            return await PeerProcess.RunAsync(Path, ["-I", scriptPath, .. arguments], timeout, ct, input: input).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    /// <summary>True when the system Python can import these modules, e.g. "dkim, nacl".</summary>
    public static bool HasModules(string modules)
    {
        if (!File.Exists(Path))
        {
            return false;
        }

        var result = PeerProcess.RunAsync(Path, ["-I", "-c", "import " + modules], TimeSpan.FromSeconds(10), CancellationToken.None)
            .GetAwaiter().GetResult();
        return result.ExitCode == 0;
    }
}
