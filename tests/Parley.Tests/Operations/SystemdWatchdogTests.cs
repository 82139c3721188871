using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Parley.Smtp.Listener;
using Parley.Testing;
using Parley.Tests.Fixtures;

namespace Parley.Tests.Operations;

/// <summary>
/// The notifications deploy/parley.service relies on (Type=notify, WatchdogSec=), received on a datagram socket as
/// systemd's NOTIFY_SOCKET: READY=1 once started, WATCHDOG=1 while ready, and none once the listener is down.
/// </summary>
public sealed class SystemdWatchdogTests : IAsyncLifetime
{
    private readonly string _socketPath = Path.Combine(Path.GetTempPath(), $"parley-notify-{Guid.NewGuid():N}.sock");
    private readonly Socket _systemd = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly LogCapture _logs = new();
    private ParleyHost _host = null!;

    public async Task InitializeAsync()
    {
        _systemd.Bind(new UnixDomainSocketEndPoint(_socketPath));
        _host = await ParleyHost.StartAsync(options: o => o with { RunWorkers = true }, configure: builder =>
        {
            builder.Configuration["NOTIFY_SOCKET"] = _socketPath;
            builder.Configuration["WATCHDOG_USEC"] = "400000"; // a ping every 200 ms
            builder.Configuration["Doctor:Schedule:Enabled"] = "false";
            builder.Logging.AddProvider(_logs);
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _systemd.Dispose();
        File.Delete(_socketPath);
    }

    private async Task<string> ReceiveAsync()
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var n = await _systemd.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    private int SkippedPings => _logs.Lines.Count(l => l.StartsWith("[Warning] Not telling systemd's watchdog that Parley is alive: smtp-listener: not accepting connections", StringComparison.Ordinal));

    [Fact]
    public async Task Ready_once_started_then_pings_until_the_listener_is_down()
    {
        Assert.Equal("READY=1", await ReceiveAsync());
        Assert.Equal("WATCHDOG=1", await ReceiveAsync());
        Assert.Equal("WATCHDOG=1", await ReceiveAsync());

        await _host.App.Services.GetRequiredService<SmtpListener>().StopAsync(default);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (SkippedPings == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(SkippedPings > 0, "the watchdog never noticed the listener was down");
        while (_systemd.Available > 0)
        {
            await ReceiveAsync(); // pings sent before it noticed
        }

        while (SkippedPings < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(SkippedPings >= 3, string.Join("\n", _logs.Lines));
        Assert.Equal(0, _systemd.Available); // no WATCHDOG=1 between the skipped ones
    }
}
