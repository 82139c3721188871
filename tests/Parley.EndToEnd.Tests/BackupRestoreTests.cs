using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// `parley backup` of a running `parley serve` (an encrypted relay password, a contact whose chatter has a received
/// email with an attachment), `parley restore` into a new data directory, and a second serve on it: the relay logs in
/// with the same password (decrypted by the restored keys) and the chatter and its attachment are there. Then the bad
/// inputs: a truncated archive, one from a newer schema, a restore over data — each one line, nothing changed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackupRestoreTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AliasDomain = "backup.parley.test";
    private const string RelayUser = "office";
    private const string RelayPassword = "Backup-Relay-Pa55";
    private readonly string _root = Directory.CreateTempSubdirectory("parley-backup-").FullName;
    private string Original => Path.Combine(_root, "original");
    private string Archive => Path.Combine(_root, "parley-backup.tar.gz");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_backup_of_a_running_server_restores_its_secrets_and_its_chatter_with_attachments()
    {
        await using var relay = PlainAuthRelay.Start();
        await using var dns = await DnsmasqPeer.StartAsync([], ["test"]);
        var attachment = Encoding.UTF8.GetBytes("Quote 2026-117: 12 chairs, 3 tables.\n" + new string('x', 5000));
        long contactId, serverId;
        await ParleyProcess.CreateAdminAsync(Original);
        await using (var parley = await ParleyProcess.StartAsync(Original, environment: Quiet, arguments: ["--dns", dns.Server]))
        {
            using var api = await parley.ApiClientAsync();
            await api.UseAliasDomainAsync(AliasDomain);
            (await api.PostAsJsonAsync("/api/v1/inbound/aliases", new { localPart = "support", contactPolicy = "everyone" })).EnsureSuccessStatusCode();
            var server = await api.PostAsJsonAsync("/api/v1/outgoing-servers",
                new { name = "office", host = "127.0.0.1", port = relay.Port, security = "none", username = RelayUser, password = RelayPassword });
            serverId = (await ReadAsync(server)).GetProperty("id").GetInt64();
            var sent = await Swaks.SendAsync(new SwaksOptions { Port = parley.SmtpPort, From = "ana@customer.test", To = [$"support@{AliasDomain}"], Data = WithAttachment(attachment) });
            Assert.True(sent.ExitCode == 0, sent.Transcript);
            contactId = await WaitForContactAsync(api, "ana@customer.test");

            // While serve runs (and holds the database open in WAL mode).
            var (exit, stdout, stderr) = await ParleyCli.RunAsync("backup", "--data-dir", Original, "--to", Archive);
            output.WriteLine(stdout + stderr);
            Assert.True(exit == 0, stderr);
            Assert.StartsWith($"Backed up {Original} to {Archive} (", stdout);
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Archive));

        var restored = Path.Combine(_root, "restored");
        var (restoreExit, restoreOut, restoreErr) = await ParleyCli.RunAsync("restore", Archive, "--data-dir", restored);
        output.WriteLine(restoreOut + restoreErr);
        Assert.True(restoreExit == 0, restoreErr);
        Assert.Contains($"into {restored}. Start Parley with: parley serve --data-dir {restored}", restoreOut);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(restored));

        await using (var parley = await ParleyProcess.StartAsync(restored, environment: Quiet, arguments: ["--dns", dns.Server]))
        {
            using var api = await parley.ApiClientAsync();
            // The password was decrypted with the restored keys and sent as AUTH PLAIN.
            var test = await ReadAsync(await api.PostAsJsonAsync($"/api/v1/outgoing-servers/{serverId}/test", new { }));
            Assert.True(test.GetProperty("success").GetBoolean(), test.ToString());
            Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{RelayUser}\0{RelayPassword}")), relay.Received);

            var timeline = await api.GetJsonAsync($"/api/v1/records/contact/{contactId}/messages");
            var email = timeline.EnumerateArray().Single(m => m.GetProperty("subject").GetString() == "Quote with attachment");
            Assert.Contains("Please find the quote attached.", email.GetProperty("text").GetString());
            var (id, name) = AttachmentOf(restored, email.GetProperty("id").GetInt64());
            Assert.Equal("quote.txt", name);
            var download = await api.GetAsync($"/attachments/{id}");
            download.EnsureSuccessStatusCode();
            Assert.Equal(attachment, await download.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Bad_archives_and_a_restore_over_data_are_refused_with_one_line_and_change_nothing()
    {
        await ParleyProcess.CreateAdminAsync(Original);
        Assert.Equal(0, (await ParleyCli.RunAsync("backup", "--data-dir", Original, "--to", Archive)).Exit);

        // Truncated: half the archive.
        var truncated = Path.Combine(_root, "truncated.tar.gz");
        var bytes = await File.ReadAllBytesAsync(Archive);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        await AssertRefusedAsync(truncated, Path.Combine(_root, "from-truncated"), 65, $"parley restore: {truncated} is truncated or damaged");

        // A newer schema: the manifest names a migration this Parley does not have.
        var newer = Path.Combine(_root, "newer.tar.gz");
        await RewriteManifestAsync(Archive, newer, m => m["migration"] = "29991231000000_FromTheFuture");
        await AssertRefusedAsync(newer, Path.Combine(_root, "from-newer"), 65,
            $"parley restore: {newer} was made by a newer Parley (");

        // Over a data directory in use: refused before the archive is even read.
        var before = Directory.EnumerateFileSystemEntries(Original, "*", SearchOption.AllDirectories).Select(f => (f, File.GetLastWriteTimeUtc(f))).Order().ToList();
        var (exit, stdout, stderr) = await ParleyCli.RunAsync("restore", Archive, "--data-dir", Original);
        Assert.Equal(73, exit);
        Assert.Equal($"parley restore: {Original} is not empty; restore only into a new or empty data directory (move the old one aside first).", stderr.Trim());
        Assert.Equal("", stdout);
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(Original, "*", SearchOption.AllDirectories).Select(f => (f, File.GetLastWriteTimeUtc(f))).Order().ToList());
    }

    [Fact]
    public async Task Keys_only_for_PostgreSQL_holds_the_keys_and_no_database()
    {
        // A first start makes the key ring (the listener's certificate is encrypted with it).
        await (await ParleyProcess.StartAsync(Original, environment: Quiet)).DisposeAsync();
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Original, "keys")));
        var (exit, stdout, stderr) = await ParleyCli.RunAsync("backup", "--data-dir", Original, "--to", Archive, "--keys-only");
        Assert.True(exit == 0, stderr);
        Assert.EndsWith("Back up the PostgreSQL database with pg_dump alongside.", stdout.Trim());

        var restored = Path.Combine(_root, "keys-only");
        (exit, stdout, stderr) = await ParleyCli.RunAsync("restore", Archive, "--data-dir", restored);
        Assert.True(exit == 0, stderr);
        Assert.Contains("Restore the PostgreSQL database with pg_restore", stdout);
        Assert.False(File.Exists(Path.Combine(restored, "parley.db")));
        Assert.Equal(Directory.GetFiles(Path.Combine(Original, "keys")).Select(Path.GetFileName).Order(),
            Directory.GetFiles(Path.Combine(restored, "keys")).Select(Path.GetFileName).Order());
        Assert.All(Directory.GetFiles(Path.Combine(restored, "keys")), f =>
            Assert.Equal(File.ReadAllBytes(Path.Combine(Original, "keys", Path.GetFileName(f))), File.ReadAllBytes(f)));
    }

    private async Task AssertRefusedAsync(string archive, string target, int code, string start)
    {
        var (exit, stdout, stderr) = await ParleyCli.RunAsync("restore", archive, "--data-dir", target);
        output.WriteLine(stderr);
        Assert.Equal(code, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith(start, stderr);
        Assert.False(Directory.Exists(target), $"{target} was created");
        // No half-restored staging folder is left beside it either.
        Assert.DoesNotContain(Directory.EnumerateDirectories(_root), d => Path.GetFileName(d).StartsWith('.'));
    }

    /// <summary>The same archive with its manifest changed (the files untouched).</summary>
    private static async Task RewriteManifestAsync(string source, string target, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        await using var input = new GZipStream(File.OpenRead(source), CompressionMode.Decompress);
        using var reader = new TarReader(input);
        await using var output = new GZipStream(File.Create(target), CompressionLevel.Fastest);
        using var writer = new TarWriter(output, TarEntryFormat.Pax);
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            if (entry.Name == "manifest.json")
            {
                var manifest = System.Text.Json.Nodes.JsonNode.Parse(entry.DataStream!)!.AsObject();
                change(manifest);
                entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest.ToJsonString()));
            }
            writer.WriteEntry(entry);
        }
    }

    private static readonly Dictionary<string, string> Quiet = new() { ["Doctor__Schedule__Enabled"] = "false" };

    private static string WithAttachment(byte[] content) =>
        "From: Ana Lima <ana@customer.test>\r\nTo: support@" + AliasDomain + "\r\nSubject: Quote with attachment\r\nMessage-ID: <quote1@customer.test>\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
        + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease find the quote attached.\r\n"
        + "--b1\r\nContent-Type: text/plain; name=\"quote.txt\"\r\nContent-Disposition: attachment; filename=\"quote.txt\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + Convert.ToBase64String(content, Base64FormattingOptions.InsertLineBreaks) + "\r\n--b1--\r\n";

    private static (long Id, string Name) AttachmentOf(string dataDir, long chatterMessageId)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "parley.db")};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT Id, FileName FROM Attachments WHERE ChatterMessageId = $id";
        query.Parameters.AddWithValue("$id", chatterMessageId);
        using var row = query.ExecuteReader();
        Assert.True(row.Read(), $"message {chatterMessageId} has no attachment");
        return (row.GetInt64(0), row.GetString(1));
    }

    private static async Task<long> WaitForContactAsync(HttpClient api, string email) =>
        (await Eventually.UntilAsync(async () => (await api.GetJsonAsync($"/api/v1/contacts?q={email}")).GetProperty("items"), items => items.GetArrayLength() == 1,
            TimeSpan.FromSeconds(30), $"a contact {email} is made from the email"))[0].GetProperty("id").GetInt64();

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
