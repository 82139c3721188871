using System.Diagnostics;
using System.Net.Http.Headers;
using Parley.Testing;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real `parley serve` process (the built parley.dll run with dotnet), for tests that must
/// kill it with SIGKILL and start it again on the same data directory.
/// </summary>
public sealed class ParleyProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ParleyProcess(Process process, string dataDir, int httpPort, int smtpPort)
    {
        _process = process;
        DataDir = dataDir;
        HttpPort = httpPort;
        SmtpPort = smtpPort;
    }

    public string DataDir { get; }
    /// <summary>Everything the process wrote to stdout and stderr so far, line by line.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();
    public int HttpPort { get; }
    public int SmtpPort { get; }
    public Uri BaseUrl => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>The parley.dll built next to this test assembly (same configuration).</summary>
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "parley.dll");

    /// <param name="environment">Extra environment, e.g. Outbox__Lease=00:00:05.</param>
    /// <param name="arguments">Extra arguments of serve, e.g. --dns 127.0.0.1:PORT.</param>
    public static async Task<ParleyProcess> StartAsync(string dataDir, bool demo = false, IReadOnlyDictionary<string, string>? environment = null, int? httpPort = null, int? smtpPort = null,
        IReadOnlyList<string>? arguments = null)
    {
        var http = httpPort ?? FreePort.Get();
        var smtp = smtpPort ?? FreePort.Get();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { DllPath, "serve", "--data-dir", dataDir, "--urls", $"http://127.0.0.1:{http}", "--smtp-listen", $"127.0.0.1:{smtp}" })
            start.ArgumentList.Add(arg);
        if (demo) start.ArgumentList.Add("--demo");
        foreach (var arg in arguments ?? []) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start)!;
        var parley = new ParleyProcess(process, dataDir, http, smtp);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) parley.Output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) parley.Output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"parley serve exited with code {process.ExitCode} during start-up.");
            try
            {
                if ((await client.GetAsync(new Uri(parley.BaseUrl, "healthz"))).IsSuccessStatusCode) return parley;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        await parley.DisposeAsync();
        throw new TimeoutException("parley serve did not answer /healthz within 60 s.");
    }

    /// <summary>`parley token create` against the same data directory: an API client acting as the first admin.</summary>
    public async Task<HttpClient> ApiClientAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { DllPath, "token", "create", "--data-dir", DataDir }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var token = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("parley token create failed: " + await process.StandardError.ReadToEndAsync());
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
