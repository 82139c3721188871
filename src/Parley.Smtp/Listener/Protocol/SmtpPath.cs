using System.Text;

namespace Parley.Smtp.Listener.Protocol;

/// <summary>The reverse- or forward-path of MAIL FROM / RCPT TO, with its ESMTP parameters.</summary>
internal sealed record SmtpPath(string Address, IReadOnlyDictionary<string, string?> Parameters)
{
    public bool IsAscii => Ascii.IsValid(Address);

    /// <summary>
    /// Parses "FROM:&lt;a@b&gt; SIZE=1" (keyword "FROM") or "TO:&lt;a@b&gt;" (keyword "TO").
    /// Lenient where Postfix is lenient (space after the colon, missing brackets), strict on the address.
    /// </summary>
    public static bool TryParse(string arguments, string keyword, out SmtpPath? path, out SmtpReply error)
    {
        path = null;
        var isMail = keyword == "FROM";
        error = isMail
            ? new SmtpReply(501, "5.5.4", "Syntax: MAIL FROM:<address>")
            : new SmtpReply(501, "5.5.4", "Syntax: RCPT TO:<address>");
        if (!arguments.StartsWith(keyword + ":", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = arguments.AsSpan(keyword.Length + 1).TrimStart(' ');
        string rawPath;
        ReadOnlySpan<char> parameterText;
        if (rest.StartsWith('<'))
        {
            var close = FindClosingBracket(rest);
            if (close < 0)
            {
                return false;
            }

            rawPath = rest[1..close].ToString();
            parameterText = rest[(close + 1)..];
            if (parameterText.Length > 0 && parameterText[0] != ' ')
            {
                return false;
            }
        }
        else
        {
            var space = rest.IndexOf(' ');
            rawPath = (space < 0 ? rest : rest[..space]).ToString();
            parameterText = space < 0 ? default : rest[space..];
            if (rawPath.Length == 0)
            {
                return false;
            }
        }

        var address = StripSourceRoute(rawPath);
        var addressValid = address.Length == 0
            ? isMail
            : IsValidMailbox(address) || (!isMail && address.Equals("postmaster", StringComparison.OrdinalIgnoreCase));
        if (!addressValid)
        {
            error = isMail
                ? new SmtpReply(501, "5.1.7", $"<{Sanitize(address)}>: Bad sender address syntax")
                : new SmtpReply(501, "5.1.3", $"<{Sanitize(address)}>: Bad recipient address syntax");
            return false;
        }

        var parameters = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var range in parameterText.Split(' '))
        {
            var item = parameterText[range];
            if (item.IsEmpty)
            {
                continue;
            }

            var equals = item.IndexOf('=');
            var key = equals < 0 ? item : item[..equals];
            if (key.IsEmpty || !IsParameterKeyword(key) || (equals >= 0 && !IsParameterValue(item[(equals + 1)..])))
            {
                error = new SmtpReply(501, "5.5.4", "Bad parameter syntax");
                return false;
            }

            parameters[key.ToString()] = equals < 0 ? null : item[(equals + 1)..].ToString();
        }

        path = new SmtpPath(address, parameters);
        return true;
    }

    /// <summary>Keeps client-supplied text printable and short before echoing it in a reply.</summary>
    public static string Sanitize(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, 100));
        foreach (var c in value.Length > 100 ? value[..100] : value)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }

    private static int FindClosingBracket(ReadOnlySpan<char> text)
    {
        var quoted = false;
        for (var i = 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '>' when !quoted:
                    return i;
            }
        }

        return -1;
    }

    // "@a.example,@b.example:user@c.example" → "user@c.example" (RFC 5321 §4.1.2: MUST accept, SHOULD ignore).
    private static string StripSourceRoute(string path)
    {
        if (!path.StartsWith('@'))
        {
            return path;
        }

        var colon = path.IndexOf(':');
        return colon < 0 ? path : path[(colon + 1)..];
    }

    internal static bool IsValidMailbox(string address)
    {
        if (Encoding.UTF8.GetByteCount(address) > 254)
        {
            return false;
        }

        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return false;
        }

        var local = address.AsSpan(0, at);
        var domain = address.AsSpan(at + 1);
        return Encoding.UTF8.GetByteCount(local) <= 64 && IsValidLocalPart(local) && IsValidDomain(domain);
    }

    private static bool IsValidLocalPart(ReadOnlySpan<char> local)
    {
        if (local[0] == '"')
        {
            if (local.Length < 2 || local[^1] != '"')
            {
                return false;
            }

            var inner = local[1..^1];
            for (var i = 0; i < inner.Length; i++)
            {
                var c = inner[i];
                if (c == '\\')
                {
                    if (++i >= inner.Length || inner[i] < 0x20 || inner[i] == 0x7f)
                    {
                        return false;
                    }
                }
                else if (c < 0x20 || c == 0x7f || c == '"' || c == '\uFFFD')
                {
                    return false;
                }
            }

            return true;
        }

        // Dot-atom: no leading, trailing or double dots.
        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in local)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '.' || "!#$%&'*+-/=?^_`{|}~".Contains(c) || (c > 0x7f && c != '\uFFFD' && !char.IsControl(c) && !char.IsWhiteSpace(c))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidDomain(ReadOnlySpan<char> domain)
    {
        if (domain.Length > 255)
        {
            return false;
        }

        if (domain[0] == '[')
        {
            // Address literal: [192.0.2.1] or [IPv6:2001:db8::1].
            if (domain[^1] != ']')
            {
                return false;
            }

            var literal = domain[1..^1];
            if (literal.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            {
                return System.Net.IPAddress.TryParse(literal[5..], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            }

            return System.Net.IPAddress.TryParse(literal, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && literal.Count('.') == 3;
        }

        foreach (var range in domain.Split('.'))
        {
            var label = domain[range];
            if (label.IsEmpty || label.Length > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || (c > 0x7f && c != '\uFFFD' && char.IsLetterOrDigit(c))))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsParameterKeyword(ReadOnlySpan<char> key)
    {
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        return char.IsAsciiLetterOrDigit(key[0]);
    }

    private static bool IsParameterValue(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c <= 0x20 || c == '=' || c == 0x7f)
            {
                return false;
            }
        }

        return !value.IsEmpty;
    }
}
