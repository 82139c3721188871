using System.Text;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Deliverability.Tests.Peers;

/// <summary>Debian's python3-spf (pyspf), driven in one process through JSON lines on stdin/stdout.</summary>
public static class PySpf
{
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

    public sealed record Case(string Ip, string Sender, string Helo);

    public sealed record Answer(string Result, string Explanation);

    public static async Task<IReadOnlyList<Answer>> CheckAsync(int dnsPort, IReadOnlyList<Case> cases, CancellationToken cancellationToken)
    {
        await DebianPython.RequireAsync("spf, dns.resolver", "python3-spf python3-dnspython");
        var input = Encoding.UTF8.GetBytes(string.Concat(cases.Select(c =>
            JsonSerializer.Serialize(new Dictionary<string, string> { ["ip"] = c.Ip, ["sender"] = c.Sender, ["helo"] = c.Helo }) + "\n")));
        var result = await DebianPython.RunAsync(Script, [dnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], input,
            TimeSpan.FromMinutes(2), cancellationToken);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (result.ExitCode != 0 || lines.Length != cases.Count)
        {
            throw new InvalidOperationException($"pyspf exited {result.ExitCode} with {lines.Length} answers: {result.StandardError}");
        }

        return lines.Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return new Answer(doc.RootElement.GetProperty("result").GetString()!, doc.RootElement.GetProperty("explanation").GetString() ?? string.Empty);
        }).ToArray();
    }
}
