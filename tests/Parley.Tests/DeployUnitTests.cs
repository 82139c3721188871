using Parley.Testing;

namespace Parley.Tests;

/// <summary>The shipped systemd unit is one systemd accepts as written, and keeps its hardening.</summary>
public sealed class DeployUnitTests
{
    private static string UnitPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Parley.slnx not found"), "deploy", "parley.service");
    }

    [Fact]
    public async Task Systemd_analyze_verifies_the_unit_without_a_warning()
    {
        var verify = await PeerProcess.RunAsync(PeerBinaries.Find("systemd-analyze", "systemd"), ["verify", UnitPath()], TimeSpan.FromSeconds(60), default);
        var output = verify.StandardOutput + verify.StandardError;
        // verify exits 0 even for a setting it ignores ("Failed to parse … ignoring"): a clean unit prints nothing.
        Assert.True(verify.ExitCode == 0 && output.Trim().Length == 0, $"exit {verify.ExitCode}: {output}");
    }

    [Theory]
    [InlineData("User=parley")]
    [InlineData("ProtectSystem=strict")]
    [InlineData("ReadWritePaths=/var/lib/parley")]
    [InlineData("NoNewPrivileges=true")]
    [InlineData("AmbientCapabilities=CAP_NET_BIND_SERVICE")]
    [InlineData("CapabilityBoundingSet=CAP_NET_BIND_SERVICE")]
    [InlineData("UMask=0077")]
    [InlineData("RestartPreventExitStatus=78")]
    [InlineData("Type=notify")]
    [InlineData("WatchdogSec=120")]
    public void The_unit_keeps_its_hardening(string line) =>
        Assert.Contains(line, File.ReadAllLines(UnitPath()).Select(l => l.Trim()));
}
