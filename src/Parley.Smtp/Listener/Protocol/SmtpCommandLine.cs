namespace Parley.Smtp.Listener.Protocol;

/// <summary>A command line split into its verb (upper-cased) and the rest.</summary>
internal readonly record struct SmtpCommandLine(string Verb, string Arguments)
{
    public static SmtpCommandLine Parse(string line)
    {
        var trimmed = line.TrimEnd(' ', '\t');
        var space = trimmed.IndexOf(' ');
        if (space < 0)
        {
            return new(trimmed.ToUpperInvariant(), string.Empty);
        }

        // "MAIL FROM:" and "RCPT TO:" keep their keyword in Arguments; handlers check it.
        return new(trimmed[..space].ToUpperInvariant(), trimmed[(space + 1)..].TrimStart(' '));
    }
}
