using Parley.Testing;

namespace Parley.Smtp.Tests.Peers;

/// <summary>The shared Parley.Testing fixtures work on this machine (other test projects rely on them).</summary>
public sealed class PeerFixtureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PostgresPeer_starts_creates_a_database_and_stops()
    {
        string dataDirectory;
        int port;
        await using (var postgres = await PostgresPeer.StartAsync())
        {
            dataDirectory = postgres.DataDirectory;
            port = postgres.Port;
            var connectionString = await postgres.CreateDatabaseAsync("parley_fixture");
            output.WriteLine(connectionString);
            Assert.Contains("Database=parley_fixture", connectionString);
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(1), CancellationToken.None);
        }

        Assert.False(Directory.Exists(dataDirectory));
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(
            () => FreePort.WaitUntilListeningAsync(port, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task SmtpSinkPeer_stops_and_removes_its_directory()
    {
        var sink = await SmtpSinkPeer.StartAsync();
        var directory = sink.DumpDirectory;
        var result = await Swaks.SendAsync(new SwaksOptions { Port = sink.Port });
        Assert.Equal(0, result.ExitCode);
        Assert.Single(await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(5)));

        await sink.DisposeAsync();

        Assert.False(Directory.Exists(directory));
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(
            () => FreePort.WaitUntilListeningAsync(sink.Port, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public void A_missing_peer_fails_with_the_install_command_and_names_the_debian_package()
    {
        var error = Assert.Throws<PeerNotInstalledException>(() => PeerBinaries.Find("no-such-peer-binary", "some-package"));
        Assert.StartsWith("no-such-peer-binary was not found. Run `bash scripts/install-peers.sh`", error.Message);
        Assert.Contains("'some-package'", error.Message);
    }

    [Fact]
    public async Task A_missing_python_module_fails_the_same_way()
    {
        var error = await Assert.ThrowsAsync<PeerNotInstalledException>(() => DebianPython.RequireAsync("no_such_parley_module", "python3-nothing"));
        Assert.Contains("bash scripts/install-peers.sh", error.Message);
        Assert.Contains("'python3-nothing'", error.Message);
    }
}
