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
    public static async Task<ParleyProcess> StartAsync(string dataDir, bool demo = false, IReadOnlyDictionary<string, string>? environment = null,
        int? httpPort = null, int? smtpPort = null)
    {
        var http = httpPort ?? FreePort.Get();
        var smtp = smtpPort ?? FreePort.Get();
        string[] arguments = [ParleyCli.DllPath, "serve", "--data-dir", dataDir, "--urls", $"http://127.0.0.1:{http}", "--smtp-listen", $"127.0.0.1:{smtp}",
            .. demo ? ["--demo"] : Array.Empty<string>()];
        var variables = new Dictionary<string, string?>(ParleyCli.Environment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var parley = new ParleyProcess(PeerProcess.Start(PeerBinaries.DotNet, arguments, TimeSpan.FromMinutes(15), environment: variables), dataDir, http, smtp);
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

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public void Kill() => _process.Kill();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
