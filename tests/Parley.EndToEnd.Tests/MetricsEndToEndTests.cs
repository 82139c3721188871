using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// /metrics of the real `parley serve` process, scraped with curl as Prometheus would, around an end-to-end send
/// (three emails through smtp-sink) and receive (two messages from swaks into the listener): the counters move by
/// exactly what happened. Without rights, one line and 401/403; the --metrics-listen address serves only /metrics.
/// </summary>
public sealed partial class MetricsEndToEndTests(ITestOutputHelper output)
{
    private const string AliasDomain = "metrics.parley.test";

    private sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    private static async Task<(int Status, string Body)> CurlAsync(string url, string? token = null)
    {
        string[] arguments = ["-s", "-m", "20", "-w", "\n%{http_code}", url, .. token is null ? Array.Empty<string>() : ["-H", $"Authorization: Bearer {token}"]];
        var curl = await PeerProcess.RunAsync("/usr/bin/curl", arguments, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(0, curl.ExitCode);
        var text = curl.StandardOutput.TrimEnd('\n'); // PeerProcess ends each line it read with a newline
        var split = text.LastIndexOf('\n');
        return (int.Parse(text[(split + 1)..], CultureInfo.InvariantCulture), text[..split]);
    }

    private static List<Sample> Parse(string exposition) =>
        exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => SampleLine().Match(l)).Where(m => m.Success)
            .Select(m => new Sample(m.Groups["name"].Value,
                LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(p => p.Groups[1].Value, p => p.Groups[2].Value),
                double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include <paramref name="labels"/> ("k=v").</summary>
    private static double Value(List<Sample> samples, string name, params string[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l[..l.IndexOf('=')]) == l[(l.IndexOf('=') + 1)..])).Sum(s => s.Value);

    [Fact]
    public async Task Counters_move_by_what_was_sent_and_received_and_only_admins_read_them()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "parley-metrics-" + Guid.NewGuid().ToString("N")[..8]);
        await using var sink = await SmtpSinkPeer.StartAsync();
        // Names under "test" answer NXDOMAIN: the inbound checks' lookups are answered queries, not failures.
        await using var dns = await DnsmasqPeer.StartAsync([], ["test"]);
        await ParleyProcess.CreateAdminAsync(dataDir);
        var metricsPort = FreePort.Get();
        await using var parley = await ParleyProcess.StartAsync(dataDir, environment: new Dictionary<string, string> { ["Doctor__Schedule__Enabled"] = "false" },
            arguments: ["--metrics-listen", $"127.0.0.1:{metricsPort}", "--dns", dns.Server]);
        using var api = await parley.ApiClientAsync();
        var token = api.DefaultRequestHeaders.Authorization!.Parameter!;
        var metricsUrl = new Uri(parley.BaseUrl, "metrics").ToString();

        await api.UseAliasDomainAsync(AliasDomain);
        await api.AddRelayAsync(sink.Port, "sink");
        var contacts = new List<long>();
        foreach (var i in Enumerable.Range(1, 3))
        {
            contacts.Add(await api.AddContactAsync($"Customer {i}", $"c{i}@customer.test"));
        }

        var (beforeStatus, beforeBody) = await CurlAsync(metricsUrl, token);
        Assert.Equal(200, beforeStatus);
        var before = Parse(beforeBody);

        await api.QueueEmailsAsync(contacts, "Metrics");

        foreach (var i in Enumerable.Range(1, 2))
        {
            var sent = await Swaks.SendAsync(new SwaksOptions { Port = parley.SmtpPort, From = $"someone{i}@sender.test", To = [$"nobody{i}@{AliasDomain}"] });
            Assert.True(sent.ExitCode == 0, sent.Transcript);
        }
        await sink.WaitForMessagesAsync(3, TimeSpan.FromSeconds(30));
        await Eventually.UntilAsync(() => api.GetJsonAsync("/api/v1/inbound/stats"), s => s.GetProperty("unrouted").GetInt32() == 2,
            TimeSpan.FromSeconds(30), "the two received messages are routed (unrouted)");
        await Eventually.UntilAsync(() => api.GetJsonAsync("/api/v1/outbox/stats"), s => s.GetProperty("sent").GetInt32() == 3,
            TimeSpan.FromSeconds(30), "the three emails are sent");

        var (afterStatus, afterBody) = await CurlAsync(metricsUrl, token);
        Assert.Equal(200, afterStatus);
        var after = Parse(afterBody);
        double Moved(string name, params string[] labels) => Value(after, name, labels) - Value(before, name, labels);

        output.WriteLine(string.Join("\n", afterBody.Split('\n').Where(l => l.StartsWith("parley_", StringComparison.Ordinal))));
        Assert.Equal(3, Moved("parley_delivery_attempts_total", "outcome=sent", "domain=customer.test"));
        Assert.Equal(3, Moved("parley_delivery_attempts_total"));
        Assert.Equal(3, Moved("parley_delivery_duration_seconds_count", "outcome=sent"));
        Assert.Equal(3, Value(after, "parley_outbox_depth", "state=sent"));
        Assert.Equal(0, Value(after, "parley_outbox_depth", "state=queued"));
        Assert.Equal(2, Moved("parley_inbound_received_total", "source=smtp"));
        Assert.Equal(2, Moved("parley_inbound_routed_total", "status=unrouted"));
        Assert.Equal(2, Moved("parley_inbound_routed_total"));
        Assert.Equal(2, Moved("parley_inbound_routing_latency_seconds_count"));
        Assert.Equal(2, Moved("parley_smtp_sessions_total"));
        Assert.Equal(0, Value(after, "parley_smtp_sessions_open"));
        Assert.True(Moved("parley_dns_queries_total") > 0, "the inbound checks made no DNS query");
        Assert.Equal(0, Moved("parley_dns_failures_total"));
        // Every series of Parley's meter is named parley_…; the exporter adds only its own target_info.
        var families = afterBody.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        Assert.All(families.Where(f => f != "target_info"), f => Assert.StartsWith("parley_", f));

        // Without rights: one line, and nothing served.
        var (anonymous, anonymousBody) = await CurlAsync(metricsUrl);
        Assert.Equal(401, anonymous);
        Assert.Equal("Reading /metrics needs an administrator: send 'Authorization: Bearer <token>' with an admin's token (parley token create --scope metrics), or sign in as an admin.",
            anonymousBody.TrimEnd('\n'));
        var (mailgate, mailgateBody) = await CurlAsync(metricsUrl, await TokenAsync(dataDir, "mailgate"));
        Assert.Equal(403, mailgate);
        Assert.Equal("This is a mailgate token: it may only hand in mail (POST /api/v1/inbound/raw).", mailgateBody.TrimEnd('\n'));
        var (bogus, _) = await CurlAsync(metricsUrl, "pk_not-a-token");
        Assert.Equal(401, bogus);
        // A metrics token reads /metrics and nothing else.
        var metricsToken = await TokenAsync(dataDir, "metrics");
        Assert.Equal(200, (await CurlAsync(metricsUrl, metricsToken)).Status);
        var (contactsWithMetricsToken, _) = await CurlAsync(new Uri(parley.BaseUrl, "api/v1/contacts").ToString(), metricsToken);
        Assert.Equal(403, contactsWithMetricsToken);

        // The metrics address: /metrics without a login, nothing else.
        var (separate, separateBody) = await CurlAsync($"http://127.0.0.1:{metricsPort}/metrics");
        Assert.Equal(200, separate);
        Assert.Contains("parley_delivery_attempts_total{", separateBody);
        var (other, otherBody) = await CurlAsync($"http://127.0.0.1:{metricsPort}/api/v1/contacts", token);
        Assert.Equal(404, other);
        Assert.Equal("Only /metrics is served on this address.", otherBody.TrimEnd('\n'));
        try { Directory.Delete(dataDir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_public_metrics_address_is_refused_with_one_line_and_exit_78()
    {
        var (exit, _, stderr) = await ParleyCli.RunAsync("serve", "--data-dir", Path.Combine(Path.GetTempPath(), "parley-metrics-" + Guid.NewGuid().ToString("N")[..8]),
            "--urls", $"http://127.0.0.1:{FreePort.Get()}", "--smtp-listen", $"127.0.0.1:{FreePort.Get()}", "--metrics-listen", "0.0.0.0:9464");
        Assert.Equal(78, exit);
        Assert.Equal("parley serve: --metrics-listen serves /metrics without a login, so it must be a loopback or private address (127.0.0.1:9464, 10.0.0.5:9464), not 0.0.0.0. "
            + "On a public address, read /metrics on --urls with a metrics token instead.", stderr.Trim());
    }

    private static async Task<string> TokenAsync(string dataDir, string scope)
    {
        var (exit, stdout, stderr) = await ParleyCli.RunAsync("token", "create", "--data-dir", dataDir, "--scope", scope, "--name", scope);
        Assert.True(exit == 0, stderr);
        return stdout.Trim();
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
