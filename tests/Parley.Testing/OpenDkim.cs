namespace Parley.Testing;

/// <summary>
/// OpenDKIM's verifier (opendkim-testmsg, from opendkim-tools) as an independent DKIM check. It only uses the system
/// resolver, so it runs in a private mount namespace whose /etc/resolv.conf points at a test DNS server on
/// 127.0.0.1:53 (start a <see cref="DnsmasqPeer"/> on port 53 first); the machine's own resolver is untouched.
/// </summary>
public static class OpenDkim
{
    public static async Task<(int ExitCode, string Output)> VerifyAsync(byte[] message)
    {
        var verifier = PeerBinaries.Find("opendkim-testmsg", "opendkim-tools");
        var unshare = PeerBinaries.Find("unshare", "util-linux");
        var directory = Directory.CreateTempSubdirectory("parley-opendkim-").FullName;
        try
        {
            var resolv = Path.Combine(directory, "resolv.conf");
            var input = Path.Combine(directory, "message.eml");
            await File.WriteAllTextAsync(resolv, "nameserver 127.0.0.1\noptions timeout:2 attempts:1\n").ConfigureAwait(false);
            await File.WriteAllBytesAsync(input, message).ConfigureAwait(false);
            var result = await PeerProcess.RunAsync(unshare,
                ["--mount", "sh", "-c", $"mount --bind '{resolv}' /etc/resolv.conf && exec '{verifier}' < '{input}'"],
                TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
            return (result.ExitCode, result.StandardOutput + result.StandardError);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
