using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The real `parley serve` on a data directory an older version left readable by everyone (0755): at start it is made
/// Parley's alone, and what Parley writes — the database and its WAL, the data-protection keys, the spool file of a
/// large message while it arrives — is 0600 in 0700 folders, so no other local user can read a message or a key.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryPermissionTests : IDisposable
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "parley-modes-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Data_directory_database_keys_and_spool_files_are_the_owners_only()
    {
        Directory.CreateDirectory(_dataDir, (UnixFileMode)0b111_101_101);
        await using var parley = await ParleyProcess.StartAsync(_dataDir);

        Assert.Equal(Folder, File.GetUnixFileMode(_dataDir));
        Assert.Equal(File600, File.GetUnixFileMode(Path.Combine(_dataDir, "parley.db")));
        Assert.Equal(File600, File.GetUnixFileMode(Path.Combine(_dataDir, "parley.db-wal")));
        var keys = Path.Combine(_dataDir, "keys");
        Assert.Equal(Folder, File.GetUnixFileMode(keys));
        Assert.NotEmpty(Directory.GetFiles(keys));
        Assert.All(Directory.GetFiles(keys), f => Assert.Equal(File600, File.GetUnixFileMode(f)));
        Assert.Contains(parley.Output, line => line.Contains("was readable by other users", StringComparison.Ordinal));

        // A message over the in-memory limit (256 KB), still arriving: its spool file is in the data directory, 0600.
        using var smtp = new TcpClient();
        await smtp.ConnectAsync("127.0.0.1", parley.SmtpPort);
        var stream = smtp.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        async Task<string> Say(string command)
        {
            if (command.Length > 0)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
            }

            string line;
            do
            {
                line = (await reader.ReadLineAsync())!;
            }
            while (line.Length > 3 && line[3] == '-');
            return line;
        }
        Assert.StartsWith("220", await Say(""));
        Assert.StartsWith("250", await Say("EHLO client.test"));
        Assert.StartsWith("250", await Say("MAIL FROM:<a@client.test>"));
        Assert.StartsWith("250", await Say("RCPT TO:<postmaster>"));
        Assert.StartsWith("354", await Say("DATA"));
        var line = Encoding.ASCII.GetBytes(new string('x', 78) + "\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes("Subject: large\r\n\r\n"));
        for (var i = 0; i < 300 * 1024 / line.Length; i++)
        {
            await stream.WriteAsync(line);
        }

        var spool = Path.Combine(_dataDir, "spool");
        var file = await WaitForSpoolFileAsync(spool);
        Assert.Equal(Folder, File.GetUnixFileMode(spool));
        Assert.Equal(File600, File.GetUnixFileMode(file));
        Assert.StartsWith("250", await Say("."));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (IOException) { }
    }

    private static async Task<string> WaitForSpoolFileAsync(string spool) =>
        (await Eventually.UntilAsync(() => Directory.Exists(spool) ? Directory.GetFiles(spool) : [], files => files.Length > 0,
            TimeSpan.FromSeconds(10), $"a spool file appears in {spool}", every: TimeSpan.FromMilliseconds(50)))[0];
}
