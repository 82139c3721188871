using System.Diagnostics;
using System.Text;

namespace Parley.Testing;

/// <summary>The result of a peer command that ran to its end.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed);

/// <summary>
/// A peer process with captured output. Started under coreutils <c>timeout</c> so it dies even if the test
/// host crashes before disposing it, and killed (whole tree) on dispose. Use it for every process a test starts
/// (peers, Python scripts, `parley` itself); nothing else calls Process.Start.
/// </summary>
public sealed class PeerProcess : IAsyncDisposable, IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private PeerProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/>; it is killed after <paramref name="maxLifetime"/> whatever happens.</summary>
    /// <param name="environment">Variables to set (a null value removes one) on top of this process's environment.</param>
    public static PeerProcess Start(string fileName, IEnumerable<string> arguments, TimeSpan maxLifetime, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo
        {
            FileName = PeerBinaries.Find("timeout", "coreutils"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        info.ArgumentList.Add("--signal=KILL");
        info.ArgumentList.Add($"{Math.Max(1, (int)Math.Ceiling(maxLifetime.TotalSeconds))}s");
        info.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => Append(peer._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(peer._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Runs a command to its end; kills it and throws <see cref="TimeoutException"/> past <paramref name="timeout"/>.</summary>
    /// <param name="input">Written to its standard input, which is then closed (an empty pipe when null: nothing waits for a terminal).</param>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken,
        string? workingDirectory = null, byte[]? input = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        await using var peer = Start(fileName, arguments, timeout + TimeSpan.FromSeconds(5), workingDirectory, environment);
        // Written while waiting, so a peer that neither reads nor exits still meets the timeout (the kill ends the write).
        var writing = peer.WriteInputAndCloseAsync(input ?? [], cancellationToken);
        var (exitCode, elapsed) = await peer.WaitForExitAsync(timeout, cancellationToken).ConfigureAwait(false);
        await writing.ConfigureAwait(false);
        return new ProcessResult(exitCode, peer.StandardOutput, peer.StandardError, elapsed);
    }

    /// <summary>Writes <paramref name="input"/> to standard input and closes it (end of file), as a pipe from an MTA does.</summary>
    public async Task WriteInputAndCloseAsync(byte[] input, CancellationToken cancellationToken)
    {
        try
        {
            await _process.StandardInput.BaseStream.WriteAsync(input, cancellationToken).ConfigureAwait(false);
            _process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // It stopped reading (it exited early, or was killed); its exit code and output say why.
        }
    }

    public async Task<(int ExitCode, TimeSpan Elapsed)> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw new TimeoutException(
                $"{_process.StartInfo.ArgumentList[2]} did not finish within {timeout}.\nstdout: {StandardOutput}\nstderr: {StandardError}");
        }

        // The parameterless wait also drains the redirected output.
        _process.WaitForExit();
        return (_process.ExitCode, _clock.Elapsed);
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.Append(line).Append('\n');
        }
    }
}
