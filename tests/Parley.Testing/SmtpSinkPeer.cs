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

    /// <summary><c>-v</c>: log each session and command to stderr (<see cref="SmtpSinkPeer.SessionCount"/> reads it).</summary>
    public bool Verbose { get; init; }

    /// <summary>Further smtp-sink options, e.g. "-L" (LMTP) or "-R" root directory settings.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Killed after this long whatever happens.</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>One message smtp-sink dumped: its envelope lines and the message as received.</summary>
public sealed record SinkMessage(string Path, string MailFrom, IReadOnlyList<string> Recipients, string Helo, string Message, string RawDump);

/// <summary>
/// postfix's smtp-sink on 127.0.0.1 and a free port, dumping each transaction to a file in a temp directory.
/// Use it as the relay or MX Parley delivers to, with faults on demand (<see cref="SmtpSinkOptions"/>).
/// Stops and deletes the directory on dispose.
/// </summary>
public sealed class SmtpSinkPeer : OnePortPeer
{
    private readonly string _binary;
    private readonly IReadOnlyList<string> _arguments;
    private readonly TimeSpan _maxLifetime;
    private string _previousLog = string.Empty;

    private SmtpSinkPeer(PeerProcess process, int port, string directory, string binary, IReadOnlyList<string> arguments, TimeSpan maxLifetime)
        : base(process, directory, port)
    {
        _binary = binary;
        _arguments = arguments;
        _maxLifetime = maxLifetime;
    }

    public string DumpDirectory => WorkDirectory;

    /// <summary>What smtp-sink said on stderr (its errors, and the -v log if asked for).</summary>
    public string Log => _previousLog + Process.StandardError + Process.StandardOutput;

    public static async Task<SmtpSinkPeer> StartAsync(SmtpSinkOptions? options = null, CancellationToken cancellationToken = default)
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

        if (options.Verbose)
        {
            arguments.Add("-v");
        }

        AddSwitch(arguments, "-r", options.SoftReject);
        AddSwitch(arguments, "-f", options.HardReject);
        AddSwitch(arguments, "-q", options.HangUp);
        arguments.AddRange(options.ExtraArguments);

        var (process, ports) = await StartListeningAsync("smtp-sink", directory, 1,
            ports => Task.FromResult(Launch(binary, arguments, directory, ports[0], options.MaxLifetime)),
            TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return new SmtpSinkPeer(process, ports[0], directory, binary, arguments, options.MaxLifetime);
    }

    /// <summary>
    /// Kills smtp-sink (every open session drops without a reply, as when a relay restarts) and starts it again on
    /// the same port and dump directory.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await Process.DisposeAsync().ConfigureAwait(false);
        await FreePort.WaitUntilClosedAsync(Port, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        _previousLog = Log;
        for (var attempt = 1; ; attempt++)
        {
            var process = Launch(_binary, _arguments, DumpDirectory, Port, _maxLifetime);
            try
            {
                await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(5), cancellationToken, () => !process.HasExited).ConfigureAwait(false);
                Process = process;
                return;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 5)
            {
                // The port may still be held for a moment by the killed process.
                await process.DisposeAsync().ConfigureAwait(false);
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// SMTP sessions that greeted smtp-sink (EHLO/HELO; the start-up probe connection does not), restarts included.
    /// Needs <see cref="SmtpSinkOptions.Verbose"/>.
    /// </summary>
    public int SessionCount =>
        Log.Split('\n').Count(l => l.Contains("smtp-sink: EHLO ", StringComparison.Ordinal) || l.Contains("smtp-sink: HELO ", StringComparison.Ordinal));

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
    /// (smtp-sink may still be writing after its reply); fails naming what arrived when they do not.
    /// </summary>
    public Task<IReadOnlyList<SinkMessage>> WaitForMessagesAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SinkMessage> previous = [];
        return Eventually.UntilAsync(ReadMessages, messages =>
        {
            // Stable: the same files with the same sizes as one poll ago.
            var stable = messages.Count == previous.Count && messages.Zip(previous).All(p => p.First.RawDump.Length == p.Second.RawDump.Length);
            previous = messages;
            return messages.Count >= count && stable;
        }, timeout, $"{count} messages reach smtp-sink", TimeSpan.FromMilliseconds(25), cancellationToken);
    }

    private static PeerProcess Launch(string binary, IReadOnlyList<string> arguments, string directory, int port, TimeSpan maxLifetime) =>
        PeerProcess.Start(binary, [.. arguments, "-d", Path.Combine(directory, "m."), $"127.0.0.1:{port}", "100"], maxLifetime);

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
