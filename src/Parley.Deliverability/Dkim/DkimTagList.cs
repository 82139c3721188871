namespace Parley.Deliverability.Dkim;

/// <summary>
/// The tag=value list of RFC 6376 3.2, shared by DKIM-Signature, ARC headers and key records.
/// Whitespace around tags and values is dropped; a duplicate tag makes the whole list invalid.
/// </summary>
public static class DkimTagList
{
    public static bool TryParse(string text, out Dictionary<string, string> tags, out string? error)
    {
        tags = new Dictionary<string, string>(StringComparer.Ordinal);
        error = null;
        foreach (var part in text.Split(';'))
        {
            var piece = part.Trim(' ', '\t', '\r', '\n');
            if (piece.Length == 0)
            {
                continue;
            }

            int eq = piece.IndexOf('=');
            if (eq <= 0)
            {
                error = $"'{Shorten(piece)}' is not a tag=value pair";
                return false;
            }

            var name = piece[..eq].Trim(' ', '\t', '\r', '\n');
            if (!IsTagName(name))
            {
                error = $"'{Shorten(name)}' is not a valid tag name";
                return false;
            }

            var value = piece[(eq + 1)..].Trim(' ', '\t', '\r', '\n');
            if (!tags.TryAdd(name, value))
            {
                error = $"tag '{name}' appears more than once";
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes folding whitespace, for base64 values (b=, bh=, p=).</summary>
    public static string StripWhitespace(string value)
    {
        if (value.AsSpan().IndexOfAny(" \t\r\n") < 0)
        {
            return value;
        }

        return string.Concat(value.Where(c => c is not (' ' or '\t' or '\r' or '\n')));
    }

    private static bool IsTagName(string name)
    {
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
