using System.Text.RegularExpressions;

namespace Parley.Core.Chatter;

/// <summary>
/// Splits a plain-text email into what its writer wrote and the quoted history beneath it ("On … wrote:" and the
/// "> " lines, Outlook's "-----Original Message-----" or "From:/Sent:" header block), so the timeline can fold
/// the history away. Quotes inside the text (an answer between quoted lines) stay where they are: only the
/// trailing history is folded, and a message that is all quote is not folded at all.
/// </summary>
public static partial class QuotedText
{
    /// <param name="Written">The new text, trimmed at its end.</param>
    /// <param name="Quoted">The quoted history from its first line; null when there is none.</param>
    public sealed record Parts(string Written, string? Quoted);

    public static Parts Split(string? text)
    {
        text ??= "";
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var start = QuoteStart(lines);
        if (start is not { } first)
        {
            return new Parts(text, null);
        }

        var written = string.Join('\n', lines[..first]).TrimEnd();
        if (written.Length == 0)
        {
            return new Parts(text, null);
        }

        return new Parts(written, string.Join('\n', lines[first..]).Trim('\n'));
    }

    private static int? QuoteStart(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (OriginalMessage().IsMatch(line) || (line.StartsWith("From:", StringComparison.OrdinalIgnoreCase) && OutlookHeaderFollows(lines, i)))
            {
                return i;
            }

            // Gmail wraps a long attribution over two lines: "On Mon, 1 Dec 2026 at 10:00, Zoë Martin <zoe@…>" / "wrote:".
            if (Attribution().IsMatch(line) || (line.StartsWith("On ", StringComparison.Ordinal) && i + 1 < lines.Length && Attribution().IsMatch(line + " " + lines[i + 1].Trim())))
            {
                if (RestIsQuote(lines, i + 1))
                {
                    return i;
                }
            }
            if (line.StartsWith('>') && RestIsQuote(lines, i))
            {
                return i;
            }
        }
        return null;
    }

    // Every non-blank line from here on is a "> " line (or the second half of a wrapped attribution).
    private static bool RestIsQuote(string[] lines, int from)
    {
        var seen = false;
        for (var j = from; j < lines.Length; j++)
        {
            var line = lines[j].Trim();
            if (line.Length == 0 || (j == from && line.EndsWith("wrote:", StringComparison.Ordinal)))
            {
                continue;
            }

            if (!line.StartsWith('>'))
            {
                return false;
            }

            seen = true;
        }
        return seen;
    }

    // Outlook's reply header: From:, then Sent: or Date: within the next lines.
    private static bool OutlookHeaderFollows(string[] lines, int from) =>
        lines.Skip(from + 1).Take(3).Any(l => l.TrimStart().StartsWith("Sent:", StringComparison.OrdinalIgnoreCase) || l.TrimStart().StartsWith("Date:", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"^On\s.{4,300}\swrote:$", RegexOptions.CultureInvariant)]
    private static partial Regex Attribution();

    [GeneratedRegex(@"^-{2,}\s*Original Message\s*-{2,}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OriginalMessage();
}
