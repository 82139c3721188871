using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Parley.Core.SpamTest;

/// <summary>
/// SpamAssassin's spamd, asked with the spamc protocol's REPORT command (SPAMC/1.5): the verdict line
/// ("Spam: True ; 15.2 / 5.0") and the report's table of rule hits with their points. Down or slow: a note.
/// </summary>
public sealed partial class SpamdEngine(string host, int port, TimeSpan timeout) : ISpamEngine
{
    /// <summary>spamd refuses larger messages by default (spamc's -s 500 KB); past it only the start is sent, as spamc does.</summary>
    public const int MaxSize = 500 * 1024;

    public async Task<EngineVerdict> CheckAsync(byte[] raw, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timer.Token);
            await using var stream = client.GetStream();
            var body = raw.Length > MaxSize ? raw.AsMemory(0, MaxSize) : raw;
            var head = Encoding.ASCII.GetBytes($"REPORT SPAMC/1.5\r\nContent-length: {body.Length}\r\n\r\n");
            await stream.WriteAsync(head, timer.Token);
            await stream.WriteAsync(body, timer.Token);
            client.Client.Shutdown(SocketShutdown.Send);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var answer = await reader.ReadToEndAsync(timer.Token);
            return Parse(answer);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is SocketException or IOException or OperationCanceledException)
        {
            return new EngineVerdict("spamd", null, null, [], $"spamd at {host}:{port} did not answer ({(e is OperationCanceledException ? $"no reply within {timeout.TotalSeconds:0} s" : e.Message)}); the built-in checks are complete without it.");
        }
    }

    public static EngineVerdict Parse(string answer)
    {
        var status = answer.Split('\n', 2)[0].Trim();
        if (!status.StartsWith("SPAMD/", StringComparison.Ordinal) || !status.Contains("EX_OK", StringComparison.Ordinal))
        {
            return new EngineVerdict("spamd", null, null, [], $"spamd answered \"{(status.Length > 120 ? status[..120] : status)}\".");
        }

        var verdict = SpamLine().Match(answer);
        double? score = verdict.Success ? double.Parse(verdict.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        double? threshold = verdict.Success ? double.Parse(verdict.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        var hits = new List<EngineHit>();
        var table = answer.IndexOf("---- ", StringComparison.Ordinal);
        if (table >= 0)
        {
            EngineHit? last = null;
            foreach (var line in answer[table..].Split('\n').Skip(1))
            {
                var m = HitLine().Match(line.TrimEnd('\r'));
                if (m.Success)
                {
                    last = new EngineHit(m.Groups[2].Value, double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[3].Value.Trim());
                    hits.Add(last);
                }
                else if (last is not null && line.StartsWith("     ", StringComparison.Ordinal) && hits.Count > 0)
                {
                    // A description continued on the next line.
                    hits[^1] = last = last with { Description = (last.Description + " " + line.Trim()).Trim() };
                }
            }
        }

        return new EngineVerdict("spamd", score, threshold, hits, null);
    }

    [GeneratedRegex(@"^Spam:\s*\w+\s*;\s*(-?[\d.]+)\s*/\s*(-?[\d.]+)", RegexOptions.Multiline, 1000)]
    private static partial Regex SpamLine();

    [GeneratedRegex(@"^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s+(.*)$", RegexOptions.None, 1000)]
    private static partial Regex HitLine();
}
