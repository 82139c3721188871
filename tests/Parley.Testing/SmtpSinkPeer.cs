namespace Parley.Testing;

/// <summary>Fault switches of smtp-sink, each a list of SMTP commands such as "RCPT" or "DATA".</summary>
public sealed record SmtpSinkOptions
{
    /// <summary><c>-r</c>: answer these commands with a soft (4xx) error.</summary>
    public IReadOnlyList<string> SoftReject { get; init; } = [];

    /// <summary><c>-f</c>: answer these commands with a hard (5xx) error.</summary>
    public IReadOnlyList<string> HardReject { get; init; } = [];

    /// <summary><c>-q</c>: hang up without replying after these commands.</summary>
    public IReadOnlyList<string> HangUp { get; init; } = [];

    /// <summary>Further smtp-sink options, e.g. "-L" (LMTP) or "-R" root directory settings.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Killed after this long whatever happens.</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>One message smtp-sink dumped: its envelope lines and the message as received.</summary>
public sealed record SinkMessage(string Path, string MailFrom, IReadOnlyList<string> Recipients, string Helo, string Message, string RawDump);

/// <summary>
/// postfix's smtp-sink on 127.0.0.1 and a free port, dumping each transaction to a file in a temp directory.
/// Stops and deletes the directory on dispose.
/// </summary>
public sealed class SmtpSinkPeer : IAsyncDisposable
{
    private readonly PeerProcess _process;

    private SmtpSinkPeer(PeerProcess process, int port, string directory)
    {
        _process = process;
        Port = port;
        DumpDirectory = directory;
    }

    public int Port { get; }

    public string Host => "127.0.0.1";

    public string DumpDirectory { get; }

    /// <summary>What smtp-sink said on stderr (its errors, and the -v log if asked for).</summary>
    public string Log => _process.StandardError + _process.StandardOutput;

    public static async Task<SmtpSinkPeer> StartAsync(SmtpSinkOptions? options = null, CancellationToken ct = default)
    {
        options ??= new SmtpSinkOptions();
        var binary = PeerBinaries.Find("smtp-sink", "postfix");
        var directory = Directory.CreateTempSubdirectory("parley-sink-").FullName;
        var arguments = new List<string>();
        if (PeerBinaries.RunningAsRoot && !OperatingSystem.IsWindows())
        {
            // smtp-sink refuses to run as root; the dump directory must then be writable by nobody.
            File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);
            arguments.AddRange(["-u", "nobody"]);
        }

        AddSwitch(arguments, "-r", options.SoftReject);
        AddSwitch(arguments, "-f", options.HardReject);
        AddSwitch(arguments, "-q", options.HangUp);
        arguments.AddRange(options.ExtraArguments);

        // The port is picked here and may be taken in between; retry a few times instead of failing.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Get();
            var process = PeerProcess.Start(binary, [.. arguments, "-d", Path.Combine(directory, "m."), $"127.0.0.1:{port}", "100"], options.MaxLifetime);
            try
            {
                await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(10), ct, () => !process.HasExited).ConfigureAwait(false);
                return new SmtpSinkPeer(process, port, directory);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException && attempt < 3)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                var log = process.StandardError;
                await process.DisposeAsync().ConfigureAwait(false);
                Directory.Delete(directory, recursive: true);
                throw new InvalidOperationException($"smtp-sink did not start: {log}", ex);
            }
        }
    }

    /// <summary>
    /// The transactions that reached DATA so far, oldest first. smtp-sink opens a dump file at MAIL FROM,
    /// so files without its Received header (refused or unfinished transactions) are left out.
    /// </summary>
    public IReadOnlyList<SinkMessage> ReadMessages() =>
        new DirectoryInfo(DumpDirectory).GetFiles("m.*")
            .OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => Parse(f.FullName, ReadShared(f.FullName)))
            .Where(m => m is not null)
            .Select(m => m!)
            .ToList();

    /// <summary>
    /// Waits until at least <paramref name="count"/> messages were dumped and their files stopped growing
    /// (smtp-sink may still be writing after its reply).
    /// </summary>
    public async Task<IReadOnlyList<SinkMessage>> WaitForMessagesAsync(int count, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<SinkMessage> previous = [];
        while (true)
        {
            var messages = ReadMessages();
            var stable = messages.Count == previous.Count && messages.Zip(previous).All(p => p.First.RawDump.Length == p.Second.RawDump.Length);
            if ((messages.Count >= count && stable) || DateTime.UtcNow > deadline)
            {
                return messages;
            }

            previous = messages;
            await Task.Delay(25, ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(DumpDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still being written by a dying smtp-sink; the temp directory is cleaned by the OS later.
        }
    }

    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty; // removed by smtp-sink in the meantime
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void AddSwitch(List<string> arguments, string flag, IReadOnlyList<string> commands)
    {
        if (commands.Count > 0)
        {
            arguments.Add(flag);
            arguments.Add(string.Join(',', commands));
        }
    }

    // The dump starts with X-Client-Addr, X-Client-Proto, X-Helo-Args, X-Mail-Args, X-Rcpt-Args lines and
    // smtp-sink's own Received header (folded), then the message as received, with LF line ends.
    private static SinkMessage? Parse(string path, string dump)
    {
        var lines = dump.Split('\n');
        var index = 0;
        string mailFrom = string.Empty, helo = string.Empty;
        var recipients = new List<string>();
        for (; index < lines.Length && lines[index].StartsWith("X-", StringComparison.Ordinal); index++)
        {
            var line = lines[index];
            if (line.StartsWith("X-Mail-Args: ", StringComparison.Ordinal))
            {
                mailFrom = Unbracket(line["X-Mail-Args: ".Length..]);
            }
            else if (line.StartsWith("X-Rcpt-Args: ", StringComparison.Ordinal))
            {
                recipients.Add(Unbracket(line["X-Rcpt-Args: ".Length..]));
            }
            else if (line.StartsWith("X-Helo-Args: ", StringComparison.Ordinal))
            {
                helo = line["X-Helo-Args: ".Length..];
            }
        }

        if (index >= lines.Length || !lines[index].StartsWith("Received:", StringComparison.Ordinal))
        {
            return null; // the transaction never reached DATA
        }

        index++;
        while (index < lines.Length && lines[index].Length > 0 && lines[index][0] is ' ' or '\t')
        {
            index++;
        }

        return new SinkMessage(path, mailFrom, recipients, helo, string.Join('\n', lines[index..]), dump);
    }

    private static string Unbracket(string args)
    {
        var start = args.IndexOf('<');
        var end = args.IndexOf('>', start + 1);
        return start >= 0 && end > start ? args[(start + 1)..end] : args.Split(' ')[0];
    }
}
