namespace Parley.Testing;

/// <summary>One swaks run.</summary>
public sealed record SwaksOptions
{
    public required int Port { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public string From { get; init; } = "sender@client.test";

    /// <summary>Recipients (joined with commas for <c>--to</c>).</summary>
    public IReadOnlyList<string> To { get; init; } = ["rcpt@parley.test"];

    public string Helo { get; init; } = "client.test";

    /// <summary><c>--header</c> lines, e.g. "In-Reply-To: &lt;id@x&gt;".</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary><c>--body</c>; swaks' default body when null.</summary>
    public string? Body { get; init; }

    /// <summary><c>--data</c>: the whole DATA content (headers and body, LF or CRLF), instead of swaks' template.</summary>
    public string? Data { get; init; }

    /// <summary><c>--quit-after</c>, e.g. "RCPT" to test refusals.</summary>
    public string? QuitAfter { get; init; }

    /// <summary><c>-tls</c>: require STARTTLS.</summary>
    public bool StartTls { get; init; }

    /// <summary><c>--pipeline</c>: send the envelope commands in one batch.</summary>
    public bool Pipeline { get; init; }

    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>swaks' own per-step timeout; the process is also killed a little after it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);
}

/// <param name="ExitCode">0 on success; swaks uses 2x codes for the step that failed (23: RCPT, 24: MAIL?, 25: DATA…).</param>
/// <param name="Transcript">swaks' full dialogue: " -> " client lines, "<- " server lines, "<** " errors.</param>
public sealed record SwaksResult(int ExitCode, string Transcript);

/// <summary>The swaks SMTP client as a real peer. Use it to talk to Parley's listener as a sending MTA does, with its transcript.</summary>
public static class Swaks
{
    public static async Task<SwaksResult> SendAsync(SwaksOptions options, CancellationToken cancellationToken = default)
    {
        var binary = PeerBinaries.Find("swaks", "swaks");
        var arguments = new List<string>
        {
            "--server", $"{options.Host}:{options.Port}",
            "--from", options.From,
            "--to", string.Join(',', options.To),
            "--helo", options.Helo,
            "--timeout", $"{(int)options.Timeout.TotalSeconds}s",
        };
        foreach (var header in options.Headers)
        {
            arguments.AddRange(["--header", header]);
        }

        if (options.Body is not null)
        {
            arguments.AddRange(["--body", options.Body]);
        }

        if (options.Data is not null)
        {
            arguments.AddRange(["--data", options.Data]);
        }

        if (options.QuitAfter is not null)
        {
            arguments.AddRange(["--quit-after", options.QuitAfter]);
        }

        if (options.StartTls)
        {
            arguments.Add("-tls");
        }

        if (options.Pipeline)
        {
            arguments.Add("--pipeline");
        }

        arguments.AddRange(options.ExtraArguments);
        var result = await PeerProcess.RunAsync(binary, arguments, options.Timeout + TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return new SwaksResult(result.ExitCode, result.StandardOutput + result.StandardError);
    }
}
