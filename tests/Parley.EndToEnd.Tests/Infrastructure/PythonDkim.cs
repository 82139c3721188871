using System.Diagnostics;
using System.Text.Json;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Debian's python3-dkim as an independent verifier: checks every DKIM-Signature of a message
/// against the TXT records we hand it (no DNS needed), and reports one verdict per signature.
/// </summary>
public static class PythonDkim
{
    private const string Script = """
import sys, json, dkim
records = json.loads(sys.argv[1])
msg = sys.stdin.buffer.read()
def dnsfunc(name, timeout=5):
    value = records.get(name.decode().rstrip('.').lower())
    return value.encode() if value else None
d = dkim.DKIM(msg)
count = sum(1 for line in msg.split(b"\n") if line.lower().startswith(b"dkim-signature:"))
print(json.dumps([bool(d.verify(idx=i, dnsfunc=dnsfunc)) for i in range(count)]))
""";

    /// <returns>One true/false per signature, top to bottom.</returns>
    public static async Task<bool[]> VerifyAsync(byte[] message, IReadOnlyDictionary<string, string> txtRecords)
    {
        if (!File.Exists("/usr/bin/python3"))
            throw new InvalidOperationException("python3-dkim is missing: run scripts/install-peers.sh (Debian package 'python3-dkim').");
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "-I", "-c", Script, JsonSerializer.Serialize(txtRecords) }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        await process.StandardInput.BaseStream.WriteAsync(message);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"python3-dkim failed: {error}");
        return JsonSerializer.Deserialize<bool[]>(output)!;
    }
}
