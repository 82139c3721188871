namespace Parley.Testing;

/// <summary>
/// One run of a `parley` verb as a script or an MTA runs it: the built parley.dll started with `dotnet`, its standard
/// input an empty pipe or the bytes given (then closed, as a Postfix pipe does). Use it for a verb's output and exit
/// code; use <see cref="ParleyProcess"/> for a `parley serve` a test must kill, and <see cref="ParleyHost"/> for
/// everything that can run in the test process.
/// </summary>
public static class ParleyCli
{
    /// <summary>The environment of every parley process a test starts: no colours, no database but the one the test names.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Environment =
        new Dictionary<string, string?> { ["NO_COLOR"] = "1", ["PARLEY_DATABASE"] = null };

    /// <summary>parley.dll as built: next to the test assembly when its runtimeconfig was copied there, else in src/Parley/bin.</summary>
    public static string DllPath { get; } = FindDll();

    public static Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(null, args);

    /// <param name="stdin">Written to the process and then closed; null gives it an empty standard input.</param>
    public static Task<(int Exit, string Stdout, string Stderr)> RunAsync(byte[]? stdin, params string[] args) => RunAsync(stdin, null, null, args);

    /// <param name="workingDirectory">The folder the verb runs in; null: this process's.</param>
    /// <param name="environment">Variables to set on top of <see cref="Environment"/> (a null value removes one), e.g. HOME
    /// for the default data directory.</param>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(byte[]? stdin, string? workingDirectory,
        IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var variables = new Dictionary<string, string?>(Environment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        var result = await PeerProcess.RunAsync(PeerBinaries.DotNet, [DllPath, .. args], TimeSpan.FromSeconds(120), CancellationToken.None,
            workingDirectory, stdin, variables).ConfigureAwait(false);
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }

    private static string FindDll()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "parley.dll");
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, "parley.runtimeconfig.json")))
        {
            return local;
        }

        // tests/<Project>/bin/<Configuration>/net10.0/ → src/Parley/bin/<Configuration>/net10.0/parley.dll
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
        {
            dir = dir.Parent;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Name;
        var built = dir is null ? local : Path.Combine(dir.FullName, "src", "Parley", "bin", configuration, "net10.0", "parley.dll");
        return File.Exists(built) ? built : throw new FileNotFoundException($"Build src/Parley ({configuration}) first: {built} is missing.");
    }
}
