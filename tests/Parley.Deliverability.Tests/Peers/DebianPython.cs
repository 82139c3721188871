using System.Diagnostics;

namespace Parley.Deliverability.Tests.Peers;

/// <summary>Debian's system Python, which sees Debian's modules (the pyenv python3 on PATH does not).</summary>
internal static class DebianPython
{
    public const string Path = "/usr/bin/python3";

    /// <summary>True when the system Python can import these modules, e.g. "dkim, nacl".</summary>
    public static bool HasModules(string modules)
    {
        if (!File.Exists(Path))
        {
            return false;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(Path)
            {
                ArgumentList = { "-I", "-c", "import " + modules },
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            process.WaitForExit(10_000);
            return process.HasExited && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
