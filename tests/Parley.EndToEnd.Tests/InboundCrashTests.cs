using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Durability with a real crash: the built `parley serve` process receives smtp-source's load, is killed with
/// SIGKILL mid-stream, restarts on the same data directory, and must hold every message smtp-source saw acknowledged:
/// its verbose log names each 250 with Parley's queue id ("queued as P&lt;id&gt;"), and every one of those rows must be
/// there after the restart, with nothing left pending.
/// </summary>
public sealed class InboundCrashTests(ITestOutputHelper output)
{
    private static string ParleyDll()
    {
        // tests/Parley.EndToEnd.Tests/bin/<Configuration>/net10.0/ → src/Parley/bin/<Configuration>/net10.0/parley.dll
        var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = dir.Parent!.Name;
        var root = dir.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "src", "Parley", "bin", configuration, "net10.0", "parley.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build src/Parley ({configuration}) first: {dll} is missing.");
    }

    private static Process Start(string dll, params string[] args) => Start(dll, true, args);

    private static Process Start(string dll, bool drain, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        if (!drain) return process;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitHealthyAsync(HttpClient http, Process process)
    {
        await Eventually.UntilAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"parley serve exited with {process.ExitCode}");
            try { return (await http.GetAsync("/healthz")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(60), "parley serve answers /healthz");
    }

    [Fact]
    public async Task Every_acknowledged_message_survives_a_SIGKILL_mid_stream()
    {
        var dll = ParleyDll();
        var data = Path.Combine(Path.GetTempPath(), "parley-crash-" + Guid.NewGuid().ToString("N")[..8]);
        var http = FreePort.Get();
        var smtp = FreePort.Get();
        string[] serve = ["serve", "--demo", "--data-dir", data, "--urls", $"http://127.0.0.1:{http}", "--smtp-listen", $"127.0.0.1:{smtp}"];
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}"), Timeout = TimeSpan.FromSeconds(30) };
        var parley = Start(dll, serve);
        try
        {
            await WaitHealthyAsync(client, parley);
            var tokenRun = Start(dll, false, "token", "create", "--data-dir", data);
            var token = (await tokenRun.StandardOutput.ReadToEndAsync()).Trim();
            await tokenRun.WaitForExitAsync();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await client.PutAsJsonAsync("/api/v1/settings/alias-domain", new { domain = "crash.parley.test" })).EnsureSuccessStatusCode();

            var load = SmtpSourcePeer.RunAsync(smtp, new SmtpSourceOptions
            {
                Sessions = 10, Messages = 2000, MessageSize = 2048, From = "load@source.test", To = "anyone@crash.parley.test",
                Timeout = TimeSpan.FromSeconds(120),
                ExtraArguments = ["-v"], // the sender's log: every reply, so every 250 and the queue id it names
            });
            // Kill once a good part of the load is in, so sessions are mid-DATA when the process dies.
            await Eventually.UntilAsync(async () => load.IsCompleted
                    || (await client.GetFromJsonAsync<JsonElement>("/api/v1/inbound/stats")).GetProperty("received").GetInt32() >= 300,
                TimeSpan.FromSeconds(60), "300 messages of the load are received", every: TimeSpan.FromMilliseconds(50));
            parley.Kill(); // SIGKILL: no shutdown, no flush
            await parley.WaitForExitAsync();
            var sent = await load;
            output.WriteLine($"smtp-source: exit {sent.ExitCode}, counted {sent.Acknowledged}; last words: "
                + string.Join(" / ", sent.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3)));
            Assert.True(sent.Acknowledged is > 0 and < 2000, $"the kill should land mid-stream (acknowledged {sent.Acknowledged})");

            parley = Start(dll, serve);
            await WaitHealthyAsync(client, parley);
            var after = await Eventually.UntilAsync(() => client.GetFromJsonAsync<JsonElement>("/api/v1/inbound/stats"),
                s => s.GetProperty("pending").GetInt32() == 0, TimeSpan.FromSeconds(60), "nothing is pending after the restart",
                every: TimeSpan.FromMilliseconds(200));
            output.WriteLine($"after restart: {after}");
            // The sender's log: each "250 2.0.0 Ok: queued as P<id>" is a message Parley promised to keep.
            var acknowledged = Regex.Matches(sent.Errors, @"<<< 250 2\.0\.0 Ok: queued as P(\d+)").Select(m => long.Parse(m.Groups[1].Value)).ToHashSet();
            output.WriteLine($"the sender's log names {acknowledged.Count} acknowledged messages");
            Assert.True(acknowledged.Count > 0, "smtp-source's log shows no 250 after DATA");
            var stored = after.GetProperty("received").GetInt32();
            Assert.True(stored < 1000, $"{stored} stored: more than one page of the list; kill earlier");
            var storedIds = (await client.GetFromJsonAsync<JsonElement>("/api/v1/inbound?take=1000")).EnumerateArray()
                .Select(i => i.GetProperty("id").GetInt64()).ToHashSet();
            var lost = acknowledged.Where(id => !storedIds.Contains(id)).Order().ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} acknowledged messages are missing after the restart: P{string.Join(", P", lost.Take(20))}");
            // smtp-source's -c counter moves when it *sends* the final "." (data_done in smtp-source.c), before the 250,
            // so nothing can be stored that it did not count: more would be invention.
            Assert.True(stored <= sent.Acknowledged, $"{stored} stored, more than the {sent.Acknowledged} smtp-source sent");
            Assert.True(stored >= acknowledged.Count, $"{stored} stored, fewer than the {acknowledged.Count} acknowledged");
            Assert.Equal(0, after.GetProperty("pending").GetInt32());
            Assert.Equal(0, after.GetProperty("failed").GetInt32());
        }
        finally
        {
            if (!parley.HasExited) { parley.Kill(); await parley.WaitForExitAsync(); }
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }
}
