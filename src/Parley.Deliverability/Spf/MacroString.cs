using System.Text;

namespace Parley.Deliverability.Spf;

/// <summary>Where a macro-string appears: the letters c, r and t are only allowed in explanation text (RFC 7208 7.1).</summary>
internal enum MacroScope
{
    DomainSpec,
    Explanation,
}

/// <summary>
/// A parsed macro-string (RFC 7208 section 7): literal runs and %{…} expansions. Parsed once with
/// the record, expanded per check without re-parsing.
/// </summary>
internal sealed class MacroString
{
    private readonly Segment[] _segments;

    private MacroString(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
        foreach (var segment in segments)
        {
            if (segment.Letter != '\0')
            {
                HasMacros = true;
                UsesPtr |= segment.Letter == 'p';
            }
        }

        EndsWithMacro = segments.Length > 0 && segments[^1].IsMacroToken;
    }

    public string Text { get; }

    public bool HasMacros { get; }

    /// <summary>Needs the validated PTR name (%{p}), which costs DNS lookups.</summary>
    public bool UsesPtr { get; }

    /// <summary>The last token is a macro-expand (%{..}, %%, %_ or %-), which is a valid domain-end.</summary>
    public bool EndsWithMacro { get; }

    /// <summary>The literal text after the last macro token (all of it when there is none).</summary>
    public string TrailingLiteral => _segments.Length > 0 && !_segments[^1].IsMacroToken ? _segments[^1].Literal! : string.Empty;

    public static bool TryParse(string text, MacroScope scope, out MacroString? macro, out string? error, out int errorOffset)
    {
        macro = null;
        error = null;
        errorOffset = 0;
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c != '%')
            {
                bool allowed = c is >= '!' and <= '~' || (c == ' ' && scope == MacroScope.Explanation);
                if (!allowed)
                {
                    return Fail($"character 0x{(int)c:X2} is not allowed", i, out error, out errorOffset);
                }

                literal.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                return Fail("'%' at the end must be written '%%'", i, out error, out errorOffset);
            }

            char next = text[i + 1];
            if (next is '%' or '_' or '-')
            {
                Flush(literal, segments);
                segments.Add(Segment.Escape(next == '%' ? "%" : next == '_' ? " " : "%20"));
                i += 2;
                continue;
            }

            if (next != '{')
            {
                return Fail($"'%{next}' is not a macro; write '%%' for a percent sign", i, out error, out errorOffset);
            }

            int start = i;
            i += 2;
            if (i >= text.Length)
            {
                return Fail("unterminated macro", start, out error, out errorOffset);
            }

            char letter = text[i];
            char lower = char.ToLowerInvariant(letter);
            if ("slodiphcrtv".IndexOf(lower) < 0)
            {
                return Fail($"unknown macro letter '{letter}'", start, out error, out errorOffset);
            }

            if (scope == MacroScope.DomainSpec && lower is 'c' or 'r' or 't')
            {
                return Fail($"macro letter '{letter}' is only allowed in explanation text", start, out error, out errorOffset);
            }

            i++;
            int digitsStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            int keep = 0;
            if (i > digitsStart)
            {
                var digits = text.AsSpan(digitsStart, i - digitsStart).TrimStart('0');
                keep = digits.Length == 0 ? 0 : digits.Length > 3 ? 999 : int.Parse(digits);
                if (keep == 0)
                {
                    return Fail("the number of parts to keep must be at least 1", start, out error, out errorOffset);
                }
            }

            bool reverse = false;
            if (i < text.Length && text[i] is 'r' or 'R')
            {
                reverse = true;
                i++;
            }

            int delimitersStart = i;
            while (i < text.Length && text[i] is '.' or '-' or '+' or ',' or '/' or '_' or '=')
            {
                i++;
            }

            string delimiters = i > delimitersStart ? text[delimitersStart..i] : ".";
            if (i >= text.Length || text[i] != '}')
            {
                return Fail("malformed macro: expected '}'", start, out error, out errorOffset);
            }

            i++;
            Flush(literal, segments);
            segments.Add(new Segment(null, lower, char.IsAsciiLetterUpper(letter), keep, reverse, delimiters));
        }

        Flush(literal, segments);
        macro = new MacroString(text, segments.ToArray());
        return true;
    }

    public string Expand(MacroContext context)
    {
        if (!HasMacros && _segments.Length <= 1)
        {
            return _segments.Length == 0 ? string.Empty : _segments[0].Literal!;
        }

        var sb = new StringBuilder(Text.Length + 32);
        foreach (var segment in _segments)
        {
            if (segment.Letter == '\0')
            {
                sb.Append(segment.Literal);
                continue;
            }

            var value = Transform(context.Value(segment.Letter), segment);
            if (segment.UrlEscape)
            {
                UrlEscape(value, sb);
            }
            else
            {
                sb.Append(value);
            }
        }

        return sb.ToString();
    }

    private static string Transform(string value, Segment segment)
    {
        if (segment.Keep == 0 && !segment.Reverse && segment.Delimiters == ".")
        {
            return value;
        }

        var parts = value.Split(segment.Delimiters.ToCharArray());
        if (segment.Reverse)
        {
            Array.Reverse(parts);
        }

        int skip = segment.Keep > 0 && segment.Keep < parts.Length ? parts.Length - segment.Keep : 0;
        return string.Join('.', parts, skip, parts.Length - skip);
    }

    /// <summary>Upper-case macro letters are URL-escaped: everything outside RFC 3986 "unreserved" becomes %XX.</summary>
    private static void UrlEscape(string value, StringBuilder sb)
    {
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private static void Flush(StringBuilder literal, List<Segment> segments)
    {
        if (literal.Length > 0)
        {
            segments.Add(Segment.Text(literal.ToString()));
            literal.Clear();
        }
    }

    private static bool Fail(string message, int offset, out string? error, out int errorOffset)
    {
        error = message;
        errorOffset = offset;
        return false;
    }

    /// <summary>A literal run (Letter '\0', IsMacroToken false), an escape (%%, %_, %-) or an expansion.</summary>
    private readonly record struct Segment(string? Literal, char Letter, bool UrlEscape, int Keep, bool Reverse, string Delimiters, bool IsEscape = false)
    {
        public bool IsMacroToken => Letter != '\0' || IsEscape;

        public static Segment Text(string text) => new(text, '\0', false, 0, false, ".");

        public static Segment Escape(string text) => new(text, '\0', false, 0, false, ".", IsEscape: true);
    }
}
