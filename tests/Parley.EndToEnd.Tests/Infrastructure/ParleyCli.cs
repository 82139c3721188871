using System.Diagnostics;

namespace Parley.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One run of a `parley` verb as a script or an MTA runs it: the parley.dll built next to this test assembly
/// (the project reference copies it with its runtimeconfig), started with `dotnet`, optionally fed on stdin.
/// </summary>
public static class ParleyCli
{
    public static Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(null, args);

    /// <param name="stdin">Written to the process and then closed (EOF), as a Postfix pipe does; null leaves stdin alone.</param>
    public static Task<(int Exit, string Stdout, string Stderr)> RunAsync(byte[]? stdin, params string[] args) => RunAsync(stdin, null, null, args);

    /// <param name="workingDirectory">The folder the verb runs in; null: this process's.</param>
    /// <param name="environment">Variables to set (a null value removes one), e.g. HOME for the default data directory.</param>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(byte[]? stdin, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var dll = ParleyProcess.DllPath;
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "parley.runtimeconfig.json")), $"{dll} is not runnable");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false,
        };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            if (stdin is not null)
            {
                try
                {
                    await process.StandardInput.BaseStream.WriteAsync(stdin, timeout.Token);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The process stopped reading (it exited early); its exit code and stderr say why.
                }
            }
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
