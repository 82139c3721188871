using System.Globalization;

namespace Parley.Testing;

/// <summary>Load of one smtp-source run.</summary>
public sealed record SmtpSourceOptions
{
    /// <summary><c>-s</c>: parallel sessions.</summary>
    public int Sessions { get; init; } = 1;

    /// <summary><c>-m</c>: messages in total.</summary>
    public int Messages { get; init; } = 1;

    /// <summary><c>-l</c>: message size in bytes.</summary>
    public int MessageSize { get; init; } = 1024;

    /// <summary><c>-r</c>: recipients per message.</summary>
    public int RecipientsPerMessage { get; init; } = 1;

    public string From { get; init; } = "source@sender.test";

    public string To { get; init; } = "sink@parley.test";

    /// <summary>Further options, e.g. "-d" (no QUIT between messages... see smtp-source(1)).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>The run is killed (and <see cref="TimeoutException"/> thrown) past this.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>What smtp-source reported.</summary>
/// <param name="Acknowledged">Messages the server acknowledged after DATA (the last value of <c>-c</c>).</param>
public sealed record SmtpSourceResult(int Acknowledged, int ExitCode, TimeSpan Elapsed, string Output, string Errors);

/// <summary>postfix's smtp-source load generator, pointed at 127.0.0.1. Use it for load and crash tests of the listener.</summary>
public static class SmtpSourcePeer
{
    public static async Task<SmtpSourceResult> RunAsync(int port, SmtpSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SmtpSourceOptions();
        var binary = PeerBinaries.Find("smtp-source", "postfix");
        string[] arguments =
        [
            "-c",
            "-s", options.Sessions.ToString(CultureInfo.InvariantCulture),
            "-m", options.Messages.ToString(CultureInfo.InvariantCulture),
            "-l", options.MessageSize.ToString(CultureInfo.InvariantCulture),
            "-r", options.RecipientsPerMessage.ToString(CultureInfo.InvariantCulture),
            "-f", options.From,
            "-t", options.To,
            .. options.ExtraArguments,
            $"127.0.0.1:{port}",
        ];
        var result = await PeerProcess.RunAsync(binary, arguments, options.Timeout, cancellationToken).ConfigureAwait(false);
        return new SmtpSourceResult(LastCount(result.StandardOutput), result.ExitCode, result.Elapsed, result.StandardOutput, result.StandardError);
    }

    // -c prints a running count separated by CR; the last number is what the server acknowledged.
    private static int LastCount(string output)
    {
        var last = output.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Trim())
            .LastOrDefault(s => s.Length > 0 && s.All(char.IsAsciiDigit));
        return last is null ? 0 : int.Parse(last, CultureInfo.InvariantCulture);
    }
}
