using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Deliverability.Tests.Peers;

/// <summary>Debian's python3-dkim (dkimpy), driven through JSON lines: sign with a key, verify with a DNS map.</summary>
public static class PyDkim
{
    public const string Python = DebianPython.Path;

    private const string Script = """
        import sys, json, base64
        import dkim
        for line in sys.stdin:
            req = json.loads(line)
            msg = base64.b64decode(req['message'])
            if req['op'] == 'sign':
                c = req['canon'].encode().split(b'/')
                # As dkimpy's own test_extra_headers does: allow Received to be signed.
                d = dkim.DKIM(msg, signature_algorithm=req['algorithm'].encode())
                d.should_not_sign.discard(b'received')
                sig = d.sign(req['selector'].encode(), req['domain'].encode(), req['key'].encode(),
                             canonicalize=(c[0], c[1]), include_headers=[h.encode() for h in req['headers']])
                print(json.dumps({'signature': sig.decode()}), flush=True)
            else:
                records = req['records']
                def dnsfunc(name, timeout=5):
                    return records.get(name.decode().rstrip('.'))
                d = dkim.DKIM(msg)
                count = len([h for h in d.headers if h[0].lower() == b'dkim-signature'])
                results = []
                for i in range(count):
                    try:
                        results.append(bool(dkim.DKIM(msg).verify(idx=i, dnsfunc=dnsfunc)))
                    except Exception:
                        results.append(False)
                print(json.dumps({'results': results}), flush=True)
        """;

    public static bool IsAvailable { get; } = Probe();

    /// <summary>Signs with dkimpy and returns the message with the DKIM-Signature header prepended.</summary>
    public static async Task<byte[]> SignAsync(byte[] message, string domain, string selector, string key, string algorithm, string canonicalization, IReadOnlyList<string> headers, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["op"] = "sign", ["message"] = Convert.ToBase64String(message), ["domain"] = domain, ["selector"] = selector,
            ["key"] = key, ["algorithm"] = algorithm, ["canon"] = canonicalization, ["headers"] = new JsonArray(headers.Select(h => (JsonNode)h!).ToArray()),
        };
        var answer = (await RunAsync([request], cancellationToken))[0];
        var signature = answer["signature"]!.GetValue<string>().Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        return System.Text.Encoding.ASCII.GetBytes(signature).Concat(message).ToArray();
    }

    public static async Task<IReadOnlyList<bool>> VerifyAsync(byte[] message, IReadOnlyDictionary<string, string> records, CancellationToken cancellationToken)
    {
        var map = new JsonObject();
        foreach (var (name, text) in records)
        {
            map[name] = text;
        }

        var answer = (await RunAsync([new JsonObject { ["op"] = "verify", ["message"] = Convert.ToBase64String(message), ["records"] = map }], cancellationToken))[0];
        return answer["results"]!.AsArray().Select(n => n!.GetValue<bool>()).ToArray();
    }

    private static async Task<IReadOnlyList<JsonNode>> RunAsync(IReadOnlyList<JsonObject> requests, CancellationToken cancellationToken)
    {
        var scriptPath = Path.Combine(Path.GetTempPath(), $"parley-pydkim-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(scriptPath, Script, cancellationToken);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python)
            {
                ArgumentList = { "-I", scriptPath },
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            foreach (var request in requests)
            {
                await process.StandardInput.WriteLineAsync(request.ToJsonString().AsMemory(), cancellationToken);
            }

            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(1));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (process.ExitCode != 0 || lines.Length != requests.Count)
            {
                throw new InvalidOperationException($"dkimpy exited {process.ExitCode} with {lines.Length} answers: {await stderr}");
            }

            return lines.Select(l => JsonNode.Parse(l)!).ToArray();
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    private static bool Probe() => DebianPython.HasModules("dkim, nacl");
}

/// <summary>A fact that needs Debian's python3-dkim (with python3-nacl for Ed25519); skipped with that reason where missing.</summary>
public sealed class RequiresPyDkimFactAttribute : FactAttribute
{
    public RequiresPyDkimFactAttribute()
    {
        if (!PyDkim.IsAvailable)
        {
            Skip = "python3-dkim (and python3-nacl) is not installed for /usr/bin/python3 (apt-get install python3-dkim).";
        }
    }
}
