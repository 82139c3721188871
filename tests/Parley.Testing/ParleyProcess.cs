using System.Net.Http.Headers;

namespace Parley.Testing;

/// <summary>
/// The real `parley serve` process (the built parley.dll run with dotnet, through <see cref="PeerProcess"/>), for tests
/// that must kill it with SIGKILL and start it again on the same data directory, or that check what the process itself
/// does (file modes, its log). Use <see cref="ParleyHost"/> for everything else: it starts faster and its services can
/// be reached. Killed on dispose.
/// </summary>
public sealed class ParleyProcess : IAsyncDisposable
{
    private readonly PeerProcess _process;

    private ParleyProcess(PeerProcess process, string dataDir, int httpPort, int smtpPort) =>
        (_process, DataDir, HttpPort, SmtpPort) = (process, dataDir, httpPort, smtpPort);

    public string DataDir { get; }
    public int HttpPort { get; }
    public int SmtpPort { get; }
    public Uri BaseUrl => new($"http://127.0.0.1:{HttpPort}/");
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far, line by line (standard output, then standard error).</summary>
    public IReadOnlyList<string> Output => (_process.StandardOutput + _process.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <param name="environment">Extra environment, e.g. Outbox__Lease=00:00:05.</param>
    /// <param name="httpPort">A port to reuse (a restart); default: a free one, as for <paramref name="smtpPort"/>.</param>
    /// <param name="arguments">Extra arguments of serve, e.g. --metrics-listen 127.0.0.1:PORT.</param>
    public static async Task<ParleyProcess> StartAsync(string dataDir, bool demo = false, IReadOnlyDictionary<string, string>? environment = null,
        int? httpPort = null, int? smtpPort = null, IReadOnlyList<string>? arguments = null)
    {
        var http = httpPort ?? FreePort.Get();
        var smtp = smtpPort ?? FreePort.Get();
        string[] command = [ParleyCli.DllPath, "serve", "--data-dir", dataDir, "--urls", $"http://127.0.0.1:{http}", "--smtp-listen", $"127.0.0.1:{smtp}",
            .. demo ? ["--demo"] : Array.Empty<string>(), .. arguments ?? []];
        var variables = new Dictionary<string, string?>(ParleyCli.Environment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var parley = new ParleyProcess(PeerProcess.Start(PeerBinaries.DotNet, command, TimeSpan.FromMinutes(15), environment: variables), dataDir, http, smtp);
        try
        {
            await parley.WaitHealthyAsync().ConfigureAwait(false);
            return parley;
        }
        catch
        {
            await parley.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task WaitHealthyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.UntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"parley serve exited during start-up:\n{_process.StandardOutput}{_process.StandardError}");
            }

            try
            {
                return (await client.GetAsync(new Uri(BaseUrl, "healthz")).ConfigureAwait(false)).IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "parley serve answers /healthz").ConfigureAwait(false);
    }

    /// <summary>`parley token create` against the same data directory: an API client acting as the first admin.</summary>
    public async Task<HttpClient> ApiClientAsync()
    {
        var (exit, stdout, stderr) = await ParleyCli.RunAsync("token", "create", "--data-dir", DataDir).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException($"parley token create failed ({exit}): {stderr}");
        }

        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stdout.Trim());
        return client;
    }

    /// <summary>`parley admin create` on a data directory before its first start (the admin whom <see cref="ApiClientAsync"/> acts as).</summary>
    public static async Task CreateAdminAsync(string dataDir)
    {
        var passwordFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(passwordFile, "e2e-admin-password\n").ConfigureAwait(false);
        var (exit, _, stderr) = await ParleyCli.RunAsync("admin", "create", "--data-dir", dataDir, "--email", "ops@parley.test", "--name", "Ops", "--password-file", passwordFile).ConfigureAwait(false);
        File.Delete(passwordFile);
        if (exit != 0)
        {
            throw new InvalidOperationException("parley admin create failed: " + stderr);
        }
    }

    /// <summary>SIGTERM, as systemd and `kill` stop a service; returns the exit code and how long the process took to exit.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> TerminateAsync(TimeSpan timeout)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        SendSigterm();
        return (await WaitForExitAsync(timeout).ConfigureAwait(false), started.Elapsed);
    }

    public void SendSigterm()
    {
        if (SendSignal(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed");
        }
    }

    /// <exception cref="TimeoutException">The process did not exit within <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var (exitCode, _) = await _process.WaitForExitAsync(timeout, CancellationToken.None).ConfigureAwait(false);
        return exitCode;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public void Kill() => _process.Kill();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
