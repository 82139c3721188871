using System.Diagnostics;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>
/// OpenDKIM's verifier (opendkim-testmsg, from opendkim-tools) as an independent check. It only
/// uses the system resolver, so it runs in a private mount namespace whose /etc/resolv.conf points
/// at a test DNS server on 127.0.0.1:53; the machine's own resolver is untouched.
/// </summary>
public static class OpenDkim
{
    public static async Task<(int ExitCode, string Output)> VerifyAsync(byte[] message)
    {
        if (!File.Exists("/usr/sbin/opendkim-testmsg"))
            throw new InvalidOperationException("opendkim-testmsg is missing: run scripts/install-peers.sh (Debian package 'opendkim-tools').");
        var directory = Directory.CreateTempSubdirectory("parley-opendkim-").FullName;
        try
        {
            var resolv = Path.Combine(directory, "resolv.conf");
            var input = Path.Combine(directory, "message.eml");
            await File.WriteAllTextAsync(resolv, "nameserver 127.0.0.1\noptions timeout:2 attempts:1\n");
            await File.WriteAllBytesAsync(input, message);
            var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "--mount", "sh", "-c", $"mount --bind '{resolv}' /etc/resolv.conf && exec /usr/sbin/opendkim-testmsg < '{input}'" })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var output = await process.StandardOutput.ReadToEndAsync(timeout.Token) + await process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
