using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Testing;

/// <summary>
/// Debian's python3-dkim (dkimpy) as an independent signer and verifier, driven through JSON lines: sign with a key,
/// verify every DKIM-Signature against TXT records handed to it (no DNS needed). Use it to cross-check Parley's DKIM.
/// </summary>
public static class PyDkim
{
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
                    name = name.decode().rstrip('.')
                    return records.get(name) or records.get(name.lower())
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

    /// <summary>Signs with dkimpy and returns the message with the DKIM-Signature header prepended.</summary>
    public static async Task<byte[]> SignAsync(byte[] message, string domain, string selector, string key, string algorithm, string canonicalization,
        IReadOnlyList<string> headers, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["op"] = "sign",
            ["message"] = Convert.ToBase64String(message),
            ["domain"] = domain,
            ["selector"] = selector,
            ["key"] = key,
            ["algorithm"] = algorithm,
            ["canon"] = canonicalization,
            ["headers"] = new JsonArray(headers.Select(h => (JsonNode)h!).ToArray()),
        };
        var answer = (await RunAsync([request], cancellationToken).ConfigureAwait(false))[0];
        var signature = answer["signature"]!.GetValue<string>().Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
        return System.Text.Encoding.ASCII.GetBytes(signature).Concat(message).ToArray();
    }

    /// <param name="records">TXT values by name, e.g. "sel._domainkey.example.com" → "v=DKIM1; k=rsa; p=…".</param>
    /// <returns>One verdict per DKIM-Signature, top to bottom.</returns>
    public static async Task<IReadOnlyList<bool>> VerifyAsync(byte[] message, IReadOnlyDictionary<string, string> records, CancellationToken cancellationToken = default)
    {
        var map = new JsonObject();
        foreach (var (name, text) in records)
        {
            map[name] = text;
        }

        var request = new JsonObject { ["op"] = "verify", ["message"] = Convert.ToBase64String(message), ["records"] = map };
        var answer = (await RunAsync([request], cancellationToken).ConfigureAwait(false))[0];
        return answer["results"]!.AsArray().Select(n => n!.GetValue<bool>()).ToArray();
    }

    private static async Task<IReadOnlyList<JsonNode>> RunAsync(IReadOnlyList<JsonObject> requests, CancellationToken cancellationToken)
    {
        await DebianPython.RequireAsync("dkim, nacl", "python3-dkim python3-nacl").ConfigureAwait(false);
        var input = System.Text.Encoding.UTF8.GetBytes(string.Concat(requests.Select(r => r.ToJsonString() + "\n")));
        var result = await DebianPython.RunAsync(Script, [], input, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (result.ExitCode != 0 || lines.Length != requests.Count)
        {
            throw new InvalidOperationException($"dkimpy exited {result.ExitCode} with {lines.Length} answers: {result.StandardError}");
        }

        return lines.Select(l => JsonNode.Parse(l)!).ToArray();
    }
}
