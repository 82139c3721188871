using System.Text.RegularExpressions;

namespace Parley.Testing;

/// <summary>
/// A throw-away PostgreSQL cluster: initdb into a temp directory (owned by postgres when the tests run as
/// root), started on 127.0.0.1 and a free port with trust authentication, stopped and deleted on dispose.
/// Tests use it through <see cref="PostgresFixture"/>, one cluster per collection.
/// </summary>
public sealed partial class PostgresPeer : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _binDirectory;
    private readonly string _baseDirectory;
    private bool _stopped;

    private PostgresPeer(string binDirectory, string baseDirectory, int port)
    {
        _binDirectory = binDirectory;
        _baseDirectory = baseDirectory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Npgsql connection string for the postgres database as the postgres superuser.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    public string DataDirectory => Path.Combine(_baseDirectory, "data");

    public string LogFile => Path.Combine(_baseDirectory, "log");

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false";

    public static async Task<PostgresPeer> StartAsync(CancellationToken cancellationToken = default)
    {
        var binDirectory = FindBinDirectory();
        var baseDirectory = Directory.CreateTempSubdirectory("parley-pg-").FullName;
        try
        {
            if (PeerBinaries.RunningAsRoot)
            {
                // initdb and postgres refuse to run as root: the cluster belongs to the postgres user.
                await RunCheckedAsync(PeerBinaries.Find("chown", "coreutils"), ["postgres:postgres", baseDirectory], cancellationToken).ConfigureAwait(false);
            }

            var data = Path.Combine(baseDirectory, "data");
            await RunAsPostgresAsync(Path.Combine(binDirectory, "initdb"),
                ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"], cancellationToken).ConfigureAwait(false);

            var port = FreePort.Get();
            var peer = new PostgresPeer(binDirectory, baseDirectory, port);
            await RunAsPostgresAsync(Path.Combine(binDirectory, "pg_ctl"),
            [
                "-D", data, "-l", peer.LogFile, "-w", "-t", "60",
                "-o", $"-k {baseDirectory} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "start",
            ], cancellationToken).ConfigureAwait(false);
            return peer;
        }
        catch
        {
            TryDelete(baseDirectory);
            throw;
        }
    }

    /// <summary>Creates a database (a copy of <paramref name="template"/> when given) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default, string? template = null)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException("Use a plain lower-case database name ([a-z_][a-z0-9_]*).", nameof(name));
        }

        string[] copy = template is null ? [] : ["-T", template];
        await RunCheckedAsync(Path.Combine(_binDirectory, "createdb"),
            ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", .. copy, name], cancellationToken).ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        try
        {
            await RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            KillPostmaster();
        }

        TryDelete(_baseDirectory);
    }

    private void KillPostmaster()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid))
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    private static string FindBinDirectory()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0], "bin")
            : Path.GetDirectoryName(PeerBinaries.Find("initdb", "postgresql"))!;
    }

    private static Task RunAsPostgresAsync(string binary, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        PeerBinaries.RunningAsRoot
            ? RunCheckedAsync(PeerBinaries.Find("runuser", "util-linux"), ["-u", "postgres", "--", binary, .. arguments], cancellationToken)
            : RunCheckedAsync(binary, arguments, cancellationToken);

    private static async Task RunCheckedAsync(string binary, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await PeerProcess.RunAsync(binary, arguments, CommandTimeout, cancellationToken, workingDirectory: "/").ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(binary)} {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.StandardOutput}{result.StandardError}");
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
