using System.Runtime.Versioning;
using System.Text;
using Parley.Smtp.Tests.Support;
using Parley.Testing;
using static Parley.Smtp.Tests.Listener.ProtocolTests;

namespace Parley.Smtp.Tests.Listener;

/// <summary>Arriving messages: in memory within one budget for all sessions, else in private spool files.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SpoolTests(ITestOutputHelper output) : IDisposable
{
    private const long Budget = 512 * 1024;
    private readonly string _spool = Path.Combine(Path.GetTempPath(), "parley-spool-tests-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Parallel_messages_past_the_memory_budget_go_to_private_spool_files_and_arrive_intact()
    {
        await using var server = await TestServer.StartAsync(output, o =>
        {
            o.SpoolDirectory = _spool;
            o.InMemorySpoolLimit = 256 * 1024;
            o.MaxSpoolMemory = Budget;
        });
        const int sessions = 8;
        var body = Body(200 * 1024); // each would fit the per-message limit; all eight do not fit the budget
        var clients = new List<RawSmtpClient>();
        try
        {
            foreach (var _ in Enumerable.Range(0, sessions))
            {
                var client = await server.OpenDataAsync(output);
                clients.Add(client);
                await client.SendAsync(body); // all but the final dot: every message is still arriving
            }

            var files = await WaitForSpoolFilesAsync(atLeast: 4);
            foreach (var file in files)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_spool));
            Assert.InRange(server.Listener.SpoolMemory.InUse, 1, Budget);

            foreach (var client in clients)
            {
                await client.SendAsync(".\r\n");
                AssertReply(250, null, await client.ReadReplyAsync());
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        Assert.Equal(sessions, server.Store.Messages.Count);
        Assert.All(server.Store.Messages, m => Assert.Equal(Encoding.ASCII.GetString(body), m.Content));
        Assert.InRange(server.Listener.SpoolMemory.Peak, 1, Budget);
        Assert.Equal(0, server.Listener.SpoolMemory.InUse);
        Assert.Empty(Directory.GetFiles(_spool));
    }

    [Fact]
    public async Task Data_gets_452_4_3_1_when_the_memory_budget_is_spent_and_no_spool_file_can_be_made()
    {
        await using var server = await TestServer.StartAsync(output, o =>
        {
            o.SpoolDirectory = _spool;
            o.MaxSpoolMemory = 0;
        });
        Directory.Delete(_spool); // the disk is gone from under the listener
        await using var client = await server.ConnectAsync(output);
        await client.CommandAsync("EHLO client.test");
        await client.CommandAsync("MAIL FROM:<a@client.test>");
        await client.CommandAsync("RCPT TO:<a@parley.test>");

        AssertReply(452, "4.3.1 Insufficient system storage, try again later", await client.CommandAsync("DATA"));
        Assert.Empty(server.Store.Messages);
    }

    [Fact]
    public async Task The_spool_directory_is_made_private_and_emptied_of_a_crashs_leftovers_at_start()
    {
        Directory.CreateDirectory(_spool);
        File.SetUnixFileMode(_spool, (UnixFileMode)0b111_101_101);
        var leftover = Path.Combine(_spool, "parley-smtp-0123456789abcdef.spool");
        await File.WriteAllTextAsync(leftover, "half a message");

        await using var server = await TestServer.StartAsync(output, o => o.SpoolDirectory = _spool);

        Assert.False(File.Exists(leftover));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_spool));
    }

    public void Dispose()
    {
        if (Directory.Exists(_spool))
        {
            Directory.Delete(_spool, recursive: true);
        }
    }

    private static byte[] Body(int size)
    {
        var text = new StringBuilder("Subject: large\r\n\r\n");
        var line = new string('x', 78) + "\r\n";
        while (text.Length + line.Length <= size)
        {
            text.Append(line);
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private Task<string[]> WaitForSpoolFilesAsync(int atLeast) =>
        Eventually.UntilAsync(() => Directory.GetFiles(_spool), files => files.Length >= atLeast, TimeSpan.FromSeconds(10),
            $"at least {atLeast} spool files", every: TimeSpan.FromMilliseconds(50));
}
