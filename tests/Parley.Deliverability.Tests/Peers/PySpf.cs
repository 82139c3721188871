using System.Diagnostics;
using System.Text.Json;

namespace Parley.Deliverability.Tests.Peers;

/// <summary>Debian's python3-spf (pyspf), driven in one process through JSON lines on stdin/stdout.</summary>
public static class PySpf
{
    public const string Python = DebianPython.Path;

    // dnspython's default resolver is pointed at the test server; pyspf uses it for every query.
    private const string Script = """
        import sys, json
        import dns.resolver
        import spf
        port = int(sys.argv[1])
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = ['127.0.0.1']
        resolver.port = port
        resolver.lifetime = 5
        dns.resolver.default_resolver = resolver
        for line in sys.stdin:
            case = json.loads(line)
            result, explanation = spf.check2(i=case['ip'], s=case['sender'], h=case['helo'])
            print(json.dumps({'result': result, 'explanation': explanation}), flush=True)
        """;

    public static bool IsAvailable { get; } = Probe();

    public sealed record Case(string Ip, string Sender, string Helo);

    public sealed record Answer(string Result, string Explanation);

    public static async Task<IReadOnlyList<Answer>> CheckAsync(int dnsPort, IReadOnlyList<Case> cases, CancellationToken cancellationToken)
    {
        var scriptPath = Path.Combine(Path.GetTempPath(), $"parley-pyspf-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(scriptPath, Script, cancellationToken);
        try
        {
            var start = new ProcessStartInfo(Python)
            {
                ArgumentList = { "-I", scriptPath, dnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            foreach (var c in cases)
            {
                var json = JsonSerializer.Serialize(new Dictionary<string, string> { ["ip"] = c.Ip, ["sender"] = c.Sender, ["helo"] = c.Helo });
                await process.StandardInput.WriteLineAsync(json.AsMemory(), cancellationToken);
            }

            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
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
            if (process.ExitCode != 0 || lines.Length != cases.Count)
            {
                throw new InvalidOperationException($"pyspf exited {process.ExitCode} with {lines.Length} answers: {await stderr}");
            }

            return lines.Select(l =>
            {
                using var doc = JsonDocument.Parse(l);
                return new Answer(doc.RootElement.GetProperty("result").GetString()!, doc.RootElement.GetProperty("explanation").GetString() ?? string.Empty);
            }).ToArray();
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    private static bool Probe() => DebianPython.HasModules("spf, dns.resolver");
}
