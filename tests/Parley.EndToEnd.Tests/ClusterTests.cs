using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MimeKit;
using Npgsql;
using Parley.EndToEnd.Tests.Infrastructure;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Two real `parley serve` processes on one PostgreSQL database, each with its own data directory, HTTP and SMTP
/// port, started at the same moment on a database with no key ring yet: they end with one Data Protection key and one
/// self-signed certificate, take the scheduled doctor's turns one at a time (one run per interval, one email per
/// change), decrypt each other's secrets, and list each other in GET /api/v1/cluster.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Two_nodes_share_the_doctor_the_key_ring_and_the_certificate_and_list_each_other()
    {
        // The schema in place (a template migrated once), but no key ring and no certificate yet.
        var database = await postgres.CreateMigratedDatabaseAsync();
        await using var sink = await SmtpSinkPeer.StartAsync();
        await using var dns = await DnsmasqPeer.StartAsync(["host-record=shop.test,192.0.2.10"]);
        var environment = new Dictionary<string, string>
        {
            ["Doctor__Schedule__Interval"] = "00:00:03",
            ["Doctor__Schedule__FirstRunDelay"] = "00:00:01",
            ["Cluster__HeartbeatInterval"] = "00:00:01",
        };
        string[] arguments = ["--database", database, "--dns", dns.Server, "--log-format", "json"];
        var (dirA, dirB) = (ParleyHost.NewDataDir(), ParleyHost.NewDataDir());

        // Both at once: each finds no key ring and no certificate, and would make its own at the same moment.
        var started = await Task.WhenAll(
            ParleyProcess.StartAsync(dirA, environment: environment, arguments: arguments),
            ParleyProcess.StartAsync(dirB, environment: environment, arguments: arguments));
        await using var a = started[0];
        await using var b = started[1];
        try
        {
            var (apiA, apiB) = await ClientsAsync(a, b, database);

            Assert.Equal(1L, await ScalarAsync(database, """SELECT count(*) FROM "DataProtectionKeys" """));
            var certificateA = await SmtpProbe.OfferedCertificateAsync(a.SmtpPort);
            var certificateB = await SmtpProbe.OfferedCertificateAsync(b.SmtpPort);
            Assert.Equal(certificateA.Thumbprint, certificateB.Thumbprint);

            // Each node lists both, alive, with its own addresses.
            foreach (var api in new[] { apiA, apiB })
            {
                var nodes = await Eventually.UntilAsync(() => NodesAsync(api), n => n.Count == 2 && n.All(x => x.GetProperty("alive").GetBoolean()),
                    TimeSpan.FromSeconds(30), "both nodes beat");
                Assert.Equal(new[] { $"127.0.0.1:{a.SmtpPort}", $"127.0.0.1:{b.SmtpPort}" }.Order(), nodes.Select(n => n.GetProperty("smtpEndpoint").GetString()).Order());
                Assert.Contains(nodes, n => n.GetProperty("httpEndpoints").GetString()!.Contains($":{a.HttpPort}"));
                Assert.Contains(nodes, n => n.GetProperty("httpEndpoints").GetString()!.Contains($":{b.HttpPort}"));
            }

            // The doctor, through node A's API; its runs and emails, from both.
            await PutAsync(apiA, "/api/v1/settings/alias-domain", new { domain = "mail.shop.test" });
            await PostAsync(apiA, "/api/v1/outgoing-servers", new { name = "Company relay", host = "127.0.0.1", port = sink.Port, security = "none" });
            var domainId = (await PostAsync(apiA, "/api/v1/domains", new { name = "shop.test" })).GetProperty("id").GetInt64();
            var events = $"/api/v1/records/deliverability/{domainId}/messages";
            await Eventually.UntilAsync(() => EventsAsync(apiB, events), e => e.Count >= 1, TimeSpan.FromSeconds(30), "the doctor checks shop.test");
            // A barrier: three more completed runs of shop.test, on whichever node, after its first.
            var checkedBefore = Checks(a, b);
            await Eventually.UntilAsync(() => Checks(a, b) >= checkedBefore + 3, TimeSpan.FromSeconds(60), "three more doctor runs over shop.test");
            Assert.Single(await EventsAsync(apiA, events));
            await Eventually.UntilAsync(async () => (await GetAsync(apiA, "/api/v1/outbox/stats")) is var s
                && s.GetProperty("queued").GetInt32() == 0 && s.GetProperty("deferred").GetInt32() == 0, TimeSpan.FromSeconds(60), "the admins' emails left");
            var mails = sink.ReadMessages().Select(m => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m.Message))))
                .Where(m => m.Subject?.StartsWith("Deliverability of shop.test:", StringComparison.Ordinal) == true).ToList();
            Assert.Single(mails);

            var turns = Turns(a, "A").Concat(Turns(b, "B")).OrderBy(t => t.At).ToList();
            output.WriteLine("Doctor turns: " + string.Join(", ", turns.Select(t => $"{t.Node} {t.At:HH:mm:ss.fff}")));
            Assert.True(turns.Count >= 4, $"{turns.Count} turns");
            for (var i = 1; i < turns.Count; i++)
            {
                Assert.True(turns[i].At - turns[i - 1].At >= Interval,
                    $"turns {turns[i - 1].Node} {turns[i - 1].At:HH:mm:ss.fff} and {turns[i].Node} {turns[i].At:HH:mm:ss.fff} are closer than {Interval}");
            }
            // And the cluster view names the node whose turn it is (between two turns, for a moment, nobody's).
            await Eventually.UntilAsync(() => NodesAsync(apiB), n => n.Count(x => x.GetProperty("holds").EnumerateArray().Any(h => h.GetProperty("job").GetString() == "doctor")) == 1,
                TimeSpan.FromSeconds(10), "one node holds the doctor's turn");

            // A relay password saved through node A is decrypted and used by node B.
            await using var relay = PlainAuthRelay.Start();
            const string Password = "saved-on-node-a";
            var relayId = (await PostAsync(apiA, "/api/v1/outgoing-servers", new
            {
                name = "Office relay",
                host = "127.0.0.1",
                port = relay.Port,
                security = "none",
                username = "parley",
                password = Password,
                allowPlainTextLogin = true,
                fromFilter = "relay-only.test",
                priority = 90,
            })).GetProperty("id").GetInt64();
            var tested = await PostAsync(apiB, $"/api/v1/outgoing-servers/{relayId}/test", new { from = "a@relay-only.test", to = "b@customer.test" });
            output.WriteLine(tested.ToString());
            Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0parley\0{Password}")), relay.Received);
        }
        catch
        {
            output.WriteLine("--- node A ---\n" + string.Join('\n', a.Output.TakeLast(60)));
            output.WriteLine("--- node B ---\n" + string.Join('\n', b.Output.TakeLast(60)));
            throw;
        }
    }

    /// <summary>The first admin and a token for each node, made with the CLI on the shared database (after both started).</summary>
    private static async Task<(HttpClient A, HttpClient B)> ClientsAsync(ParleyProcess a, ParleyProcess b, string database)
    {
        var passwordFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(passwordFile, "e2e-admin-password\n");
        var admin = await ParleyCli.RunAsync("admin", "create", "--data-dir", a.DataDir, "--database", database, "--email", "ops@parley.test", "--name", "Ops", "--password-file", passwordFile);
        File.Delete(passwordFile);
        Assert.True(admin.Exit == 0, admin.Stderr);
        return (await ClientAsync(a, database), await ClientAsync(b, database));
    }

    private static async Task<HttpClient> ClientAsync(ParleyProcess node, string database)
    {
        var (exit, stdout, stderr) = await ParleyCli.RunAsync("token", "create", "--data-dir", node.DataDir, "--database", database, "--user", "ops@parley.test");
        Assert.True(exit == 0, stderr);
        var client = new HttpClient { BaseAddress = node.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stdout.Trim());
        return client;
    }

    private static async Task<List<JsonElement>> NodesAsync(HttpClient api) => (await GetAsync(api, "/api/v1/cluster")).GetProperty("nodes").EnumerateArray().ToList();

    private static async Task<List<JsonElement>> EventsAsync(HttpClient api, string path) =>
        (await GetAsync(api, path)).EnumerateArray().Where(m => m.GetProperty("kind").GetString() == "event").ToList();

    /// <summary>Completed doctor runs over shop.test, on both nodes together (their logs).</summary>
    private static int Checks(ParleyProcess a, ParleyProcess b) =>
        Logged(a).Concat(Logged(b)).Count(l => l.Message.StartsWith("Doctor checked shop.test:", StringComparison.Ordinal));

    private static IEnumerable<(string Node, DateTimeOffset At)> Turns(ParleyProcess node, string name) =>
        // Each turn's end as the lease row has it (the log line's own time trails the statement): ends one interval apart
        // mean turns taken one interval apart.
        Logged(node).Where(l => l.Message.Contains("took the doctor's turn, until ", StringComparison.Ordinal))
            .Select(l => (name, DateTimeOffset.Parse(l.Message[(l.Message.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));

    private static IEnumerable<(DateTimeOffset At, string Message)> Logged(ParleyProcess node)
    {
        foreach (var line in node.Output)
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("Message", out var message) && json.RootElement.TryGetProperty("Timestamp", out var at))
            {
                yield return (DateTimeOffset.Parse(at.GetString()!, System.Globalization.CultureInfo.InvariantCulture), message.GetString() ?? "");
            }
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task<JsonElement> GetAsync(HttpClient api, string path) => await ReadAsync(await api.GetAsync(path), path);

    private static async Task<JsonElement> PostAsync(HttpClient api, string path, object body) => await ReadAsync(await api.PostAsJsonAsync(path, body), path);

    private static async Task<JsonElement> PutAsync(HttpClient api, string path, object body) => await ReadAsync(await api.PutAsJsonAsync(path, body), path);

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string path)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{path} → {(int)response.StatusCode}: {text}");
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
