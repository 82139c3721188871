using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Parley.Deliverability.Spf;

/// <summary>
/// Strict RFC 7208 parser. Any syntax error anywhere makes the whole record a permerror (section 4.6),
/// so the parser checks every term up front and reports the first error with its position.
/// </summary>
public static class SpfRecordParser
{
    /// <summary>"v=spf1" alone or followed by a space, case-insensitive (RFC 7208 4.5).</summary>
    public static bool IsSpfRecord(string? text) =>
        text is not null
        && text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase)
        && (text.Length == 6 || text[6] == ' ');

    public static SpfParseResult Parse(string text)
    {
        if (!IsSpfRecord(text))
        {
            return Error("the record does not start with \"v=spf1\"", 0, null);
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is < ' ' or > '~')
            {
                var what = c > '~' ? "a non-ASCII character" : $"control character 0x{(int)c:X2}";
                return Error($"{what} at position {i}; terms are separated by plain spaces and must be ASCII", i, TermAt(text, i));
            }
        }

        var terms = new List<SpfTerm>();
        int redirects = 0, explanations = 0;
        int pos = 6;
        while (pos < text.Length)
        {
            if (text[pos] == ' ')
            {
                pos++;
                continue;
            }

            int end = text.IndexOf(' ', pos);
            if (end < 0)
            {
                end = text.Length;
            }

            var term = text[pos..end];
            var (parsed, error) = ParseTerm(term, pos);
            if (error is not null)
            {
                return new SpfParseResult(null, error);
            }

            if (parsed is SpfModifier modifier)
            {
                if (modifier.Name.Equals("redirect", StringComparison.OrdinalIgnoreCase) && ++redirects > 1)
                {
                    return Error("redirect= appears more than once", pos, term);
                }

                if (modifier.Name.Equals("exp", StringComparison.OrdinalIgnoreCase) && ++explanations > 1)
                {
                    return Error("exp= appears more than once", pos, term);
                }
            }

            terms.Add(parsed!);
            pos = end;
        }

        return new SpfParseResult(new SpfRecord(text, terms), null);
    }

    private static (SpfTerm? Term, SpfSyntaxError? Error) ParseTerm(string term, int pos)
    {
        int eq = term.IndexOf('=');
        int firstSep = term.IndexOfAny([':', '/']);
        if (eq >= 0 && (firstSep < 0 || eq < firstSep))
        {
            return ParseModifier(term, pos, eq);
        }

        return ParseMechanism(term, pos);
    }

    private static (SpfTerm?, SpfSyntaxError?) ParseModifier(string term, int pos, int eq)
    {
        var name = term[..eq];
        var value = term[(eq + 1)..];
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return (null, new SpfSyntaxError($"'{term}': a modifier name starts with a letter and has only letters, digits, '-', '_' and '.'", pos, term));
        }

        bool known = name.Equals("redirect", StringComparison.OrdinalIgnoreCase) || name.Equals("exp", StringComparison.OrdinalIgnoreCase);
        if (known)
        {
            var (macro, error) = ParseDomainSpec(value, term, pos + eq + 1);
            return error is not null ? (null, error) : (new SpfModifier(term, pos, name.ToLowerInvariant(), value) { Macro = macro }, null);
        }

        if (!MacroString.TryParse(value, MacroScope.DomainSpec, out var unknownMacro, out var message, out var offset))
        {
            return (null, new SpfSyntaxError($"'{term}': {message}", pos + eq + 1 + offset, term));
        }

        return (new SpfModifier(term, pos, name, value) { Macro = unknownMacro }, null);
    }

    private static (SpfTerm?, SpfSyntaxError?) ParseMechanism(string term, int pos)
    {
        var qualifier = SpfQualifier.Pass;
        int i = 0;
        switch (term[0])
        {
            case '+': i = 1; break;
            case '-': qualifier = SpfQualifier.Fail; i = 1; break;
            case '~': qualifier = SpfQualifier.SoftFail; i = 1; break;
            case '?': qualifier = SpfQualifier.Neutral; i = 1; break;
        }

        int nameEnd = term.IndexOfAny([':', '/'], i);
        if (nameEnd < 0)
        {
            nameEnd = term.Length;
        }

        var name = term[i..nameEnd].ToLowerInvariant();
        var rest = term[nameEnd..];
        int restPos = pos + nameEnd;
        SpfSyntaxError Bad(string why) => new($"'{term}': {why}", pos, term);

        switch (name)
        {
            case "all":
                return rest.Length == 0
                    ? (new SpfMechanism(term, pos, qualifier, SpfMechanismKind.All), null)
                    : (null, Bad("\"all\" takes no argument"));

            case "include":
            case "exists":
                {
                    if (!rest.StartsWith(':') || rest.Length == 1)
                    {
                        return (null, Bad($"\"{name}\" needs \":domain\""));
                    }

                    var (macro, error) = ParseDomainSpec(rest[1..], term, restPos + 1);
                    if (error is not null)
                    {
                        return (null, error);
                    }

                    var kind = name == "include" ? SpfMechanismKind.Include : SpfMechanismKind.Exists;
                    return (new SpfMechanism(term, pos, qualifier, kind) { DomainSpec = rest[1..], Domain = macro }, null);
                }

            case "a":
            case "mx":
                {
                    var kind = name == "a" ? SpfMechanismKind.A : SpfMechanismKind.Mx;
                    if (!TrySplitDualCidr(ref rest, out var cidr4, out var cidr6, out var cidrError))
                    {
                        return (null, Bad(cidrError!));
                    }

                    if (rest.Length == 0)
                    {
                        return (new SpfMechanism(term, pos, qualifier, kind) { Cidr4 = cidr4, Cidr6 = cidr6 }, null);
                    }

                    if (rest[0] != ':' || rest.Length == 1)
                    {
                        return (null, Bad($"\"{name}\" takes \":domain\" and then \"/cidr4//cidr6\""));
                    }

                    var (macro, error) = ParseDomainSpec(rest[1..], term, restPos + 1);
                    return error is not null
                        ? (null, error)
                        : (new SpfMechanism(term, pos, qualifier, kind) { DomainSpec = rest[1..], Domain = macro, Cidr4 = cidr4, Cidr6 = cidr6 }, null);
                }

            case "ptr":
                {
                    if (rest.Length == 0)
                    {
                        return (new SpfMechanism(term, pos, qualifier, SpfMechanismKind.Ptr), null);
                    }

                    if (rest[0] != ':' || rest.Length == 1)
                    {
                        return (null, Bad("\"ptr\" takes only \":domain\""));
                    }

                    var (macro, error) = ParseDomainSpec(rest[1..], term, restPos + 1);
                    return error is not null
                        ? (null, error)
                        : (new SpfMechanism(term, pos, qualifier, SpfMechanismKind.Ptr) { DomainSpec = rest[1..], Domain = macro }, null);
                }

            case "ip4":
            case "ip6":
                {
                    bool v4 = name == "ip4";
                    var (address, cidr, why) = ParseIpNetwork(rest, name, v4);
                    return why is not null
                        ? (null, Bad(why))
                        : (new SpfMechanism(term, pos, qualifier, v4 ? SpfMechanismKind.Ip4 : SpfMechanismKind.Ip6)
                        {
                            Network = address,
                            Cidr4 = v4 ? cidr : null,
                            Cidr6 = v4 ? null : cidr,
                        }, null);
                }

            default:
                return (null, Bad(name.Length == 0 ? "missing mechanism" : $"unknown mechanism \"{name}\""));
        }
    }

    /// <summary>The argument of ip4 or ip6, ":address" with an optional "/prefix"; or why it is not one.</summary>
    private static (IPAddress? Address, int? Cidr, string? Error) ParseIpNetwork(string rest, string name, bool v4)
    {
        if (!rest.StartsWith(':'))
        {
            return (null, null, $"\"{name}\" needs \":address\"");
        }

        var network = rest[1..];
        int maxCidr = v4 ? 32 : 128;
        if (!TryCutPrefix(ref network, network.IndexOf('/'), 1, maxCidr, out var cidr))
        {
            return (null, null, $"the prefix length must be 0 to {maxCidr}, without leading zeros");
        }

        IPAddress address;
        if (v4 ? !TryParseIp4(network, out address) : !TryParseIp6(network, out address))
        {
            return (null, null, v4 ? $"\"{network}\" is not a full dotted-quad IPv4 address" : $"\"{network}\" is not an IPv6 address");
        }

        return (address, cidr, null);
    }

    /// <summary>Takes "/n", "//n" or "/n//m" off the end of an a/mx argument.</summary>
    private static bool TrySplitDualCidr(ref string rest, out int? cidr4, out int? cidr6, out string? error)
    {
        cidr4 = null;
        error = null;
        if (!TryCutPrefix(ref rest, PrefixAt(rest, "//"), 2, 128, out cidr6))
        {
            error = "the IPv6 prefix length must be 0 to 128, without leading zeros";
            return false;
        }

        if (!TryCutPrefix(ref rest, PrefixAt(rest, "/"), 1, 32, out cidr4))
        {
            error = "the IPv4 prefix length must be 0 to 32, without leading zeros";
            return false;
        }

        return true;
    }

    /// <summary>Where the "/n" (or "//n") that an a/mx argument ends in starts; -1 when it ends in none.</summary>
    private static int PrefixAt(string text, string separator)
    {
        int at = text.LastIndexOf(separator, StringComparison.Ordinal);
        return at >= 0 && text[(at + separator.Length)..].All(char.IsAsciiDigit) ? at : -1;
    }

    /// <summary>
    /// Cuts the prefix length that starts at <paramref name="at"/> (its separator <paramref name="separatorLength"/>
    /// long) off <paramref name="text"/>; none when <paramref name="at"/> is -1. False when it is not 0 to
    /// <paramref name="max"/> without leading zeros.
    /// </summary>
    private static bool TryCutPrefix(ref string text, int at, int separatorLength, int max, out int? prefix)
    {
        prefix = null;
        if (at < 0)
        {
            return true;
        }

        if (!TryParseCidr(text[(at + separatorLength)..], max, out var value))
        {
            return false;
        }

        prefix = value;
        text = text[..at];
        return true;
    }

    private static bool TryParseCidr(string digits, int max, out int value)
    {
        value = 0;
        if (digits.Length is 0 or > 3 || !digits.All(char.IsAsciiDigit) || (digits.Length > 1 && digits[0] == '0'))
        {
            return false;
        }

        value = int.Parse(digits, CultureInfo.InvariantCulture);
        return value <= max;
    }

    /// <summary>Four decimal octets 0-255 without leading zeros (RFC 7208 "qnum"); .NET's parser accepts far more.</summary>
    internal static bool TryParseIp4(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        var bytes = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0'))
            {
                return false;
            }

            int v = int.Parse(p, CultureInfo.InvariantCulture);
            if (v > 255)
            {
                return false;
            }

            bytes[i] = (byte)v;
        }

        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>An RFC 4291 address: hex groups, "::", optional trailing dotted quad; no zone id or brackets.</summary>
    internal static bool TryParseIp6(string text, out IPAddress address)
    {
        address = IPAddress.IPv6None;
        if (text.Length < 2 || !text.Contains(':') || !text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.'))
        {
            return false;
        }

        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>
    /// domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand.
    /// The check is on the text as written: it is not repeated after macro expansion (RFC 7208 7.1).
    /// </summary>
    private static (MacroString?, SpfSyntaxError?) ParseDomainSpec(string spec, string term, int specPos)
    {
        if (spec.Length == 0)
        {
            return (null, new SpfSyntaxError($"'{term}': the domain is empty", specPos, term));
        }

        if (!MacroString.TryParse(spec, MacroScope.DomainSpec, out var macro, out var message, out var offset))
        {
            return (null, new SpfSyntaxError($"'{term}': {message}", specPos + offset, term));
        }

        if (macro!.EndsWithMacro)
        {
            return (macro, null);
        }

        var tail = macro.TrailingLiteral;
        if (tail.EndsWith('.'))
        {
            tail = tail[..^1];
        }

        int dot = tail.LastIndexOf('.');
        if (dot < 0 || !IsTopLabel(tail.AsSpan(dot + 1)))
        {
            return (null, new SpfSyntaxError($"'{term}': \"{spec}\" does not end in a valid top-level label (a fully qualified name is needed)", specPos, term));
        }

        return (macro, null);
    }

    /// <summary>toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ).</summary>
    private static bool IsTopLabel(ReadOnlySpan<char> label)
    {
        if (label.IsEmpty || !char.IsAsciiLetterOrDigit(label[0]) || !char.IsAsciiLetterOrDigit(label[^1]))
        {
            return false;
        }

        bool hasLetterOrDash = false;
        foreach (var c in label)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }

            hasLetterOrDash |= char.IsAsciiLetter(c) || c == '-';
        }

        return hasLetterOrDash;
    }

    private static string? TermAt(string text, int index)
    {
        int start = text.LastIndexOf(' ', Math.Max(0, index - 1)) + 1;
        int end = text.IndexOf(' ', index);
        return text[start..(end < 0 ? text.Length : end)];
    }

    private static SpfParseResult Error(string message, int position, string? term) =>
        new(null, new SpfSyntaxError(message, position, term));
}
