namespace Parley.Core.Contacts;

/// <summary>
/// Where one CSV record is in the file, as an editor numbers lines, and whether a quote in it ran past its own line
/// into the lines after (a quote never closed, or closed lines later by the quote of another value). CsvHelper reads
/// such a record without complaint, so "line 9: no email" would be all a user learned; this says what happened.
/// </summary>
internal readonly record struct CsvRecordLines(int First, int Last, string? RunawayQuote)
{
    private const int SnippetLength = 40;

    /// <param name="raw">The record as read, with its line breaks (CsvHelper's RawRecord).</param>
    /// <param name="rawRow">CsvHelper's RawRow after reading it: the line it ended on.</param>
    public static CsvRecordLines Of(string raw, int rawRow, char delimiter)
    {
        var (quoteAt, unclosed, closedLater) = Scan(raw, delimiter);
        var breaks = raw.Count(c => c == '\n');
        var terminated = raw.EndsWith('\n');
        // A record ends at a line break that CsvHelper does not count in RawRow, except when a quote swallowed it.
        var first = rawRow - (unclosed ? breaks : breaks - (terminated ? 1 : 0));
        var last = first + breaks - (terminated ? 1 : 0);
        if (!unclosed && !closedLater)
        {
            return new CsvRecordLines(first, last, null);
        }

        var lineEnd = raw.IndexOfAny(['\r', '\n'], quoteAt);
        var opening = raw[(quoteAt + 1)..(lineEnd < 0 ? raw.Length : lineEnd)].Trim();
        var snippet = (opening.Length > SnippetLength ? opening[..SnippetLength] : opening) + "…";
        var reason = unclosed
            ? $"The quote that opens \"{snippet}\" is never closed, so lines {first} to {last} (the end of the file) were read as one value"
            : $"The quote that opens \"{snippet}\" is not closed on its line, so lines {first} to {last} were read as one value";
        return new CsvRecordLines(first, last, reason + " and nothing from them was imported. Close the quote (or remove it) and import the file again.");
    }

    /// <summary>RFC 4180 quoting: a quote opens a value only at its start, "" inside is a quote, and the closing one is followed by a delimiter or the end.</summary>
    private static (int QuoteAt, bool Unclosed, bool ClosedLater) Scan(string raw, char delimiter)
    {
        var state = State.FieldStart;
        var quoteAt = -1;
        var spansLines = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            switch (state)
            {
                case State.FieldStart when c is ' ' or '\t' or '\r' or '\n' || c == delimiter:
                    break;
                case State.FieldStart when c == '"':
                    (state, quoteAt, spansLines) = (State.Quoted, i, false);
                    break;
                case State.FieldStart:
                    state = State.Unquoted;
                    break;
                case State.Unquoted when c == delimiter:
                    state = State.FieldStart;
                    break;
                case State.Quoted when c == '"' && i + 1 < raw.Length && raw[i + 1] == '"':
                    i++;
                    break;
                case State.Quoted when c == '"':
                    state = State.AfterQuote;
                    break;
                case State.Quoted when c == '\n':
                    spansLines = true;
                    break;
                case State.AfterQuote when c == delimiter:
                    state = State.FieldStart;
                    break;
                case State.AfterQuote when c is ' ' or '\t' or '\r' or '\n':
                    break;
                case State.AfterQuote:
                    // Text right after a closing quote: that quote opened another value, so the first one ran on.
                    if (spansLines)
                    {
                        return (quoteAt, false, true);
                    }

                    state = State.Unquoted;
                    break;
            }
        }
        return (quoteAt, state == State.Quoted, false);
    }

    private enum State { FieldStart, Unquoted, Quoted, AfterQuote }
}
