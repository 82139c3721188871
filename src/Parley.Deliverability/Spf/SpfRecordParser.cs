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
                {
                    if (!rest.StartsWith(':'))
                    {
                        return (null, Bad("\"ip4\" needs \":address\""));
                    }

                    var network = rest[1..];
                    int? cidr = null;
                    int slash = network.IndexOf('/');
                    if (slash >= 0)
                    {
                        if (!TryParseCidr(network[(slash + 1)..], 32, out var value))
                        {
                            return (null, Bad("the prefix length must be 0 to 32, without leading zeros"));
                        }

                        cidr = value;
                        network = network[..slash];
                    }

                    if (!TryParseIp4(network, out var address))
                    {
                        return (null, Bad($"\"{network}\" is not a full dotted-quad IPv4 address"));
                    }

                    return (new SpfMechanism(term, pos, qualifier, SpfMechanismKind.Ip4) { Network = address, Cidr4 = cidr }, null);
                }

            case "ip6":
                {
                    if (!rest.StartsWith(':'))
                    {
                        return (null, Bad("\"ip6\" needs \":address\""));
                    }

                    var network = rest[1..];
                    int? cidr = null;
                    int slash = network.IndexOf('/');
                    if (slash >= 0)
                    {
                        if (!TryParseCidr(network[(slash + 1)..], 128, out var value))
                        {
                            return (null, Bad("the prefix length must be 0 to 128, without leading zeros"));
                        }

                        cidr = value;
                        network = network[..slash];
                    }

                    if (!TryParseIp6(network, out var address))
                    {
                        return (null, Bad($"\"{network}\" is not an IPv6 address"));
                    }

                    return (new SpfMechanism(term, pos, qualifier, SpfMechanismKind.Ip6) { Network = address, Cidr6 = cidr }, null);
                }

            default:
                return (null, Bad(name.Length == 0 ? "missing mechanism" : $"unknown mechanism \"{name}\""));
        }
    }

    /// <summary>Takes "/n", "//n" or "/n//m" off the end of an a/mx argument.</summary>
    private static bool TrySplitDualCidr(ref string rest, out int? cidr4, out int? cidr6, out string? error)
    {
        cidr4 = null;
        cidr6 = null;
        error = null;
        int dual = rest.LastIndexOf("//", StringComparison.Ordinal);
        if (dual >= 0 && rest[(dual + 2)..].All(char.IsAsciiDigit))
        {
            if (!TryParseCidr(rest[(dual + 2)..], 128, out var v6))
            {
                error = "the IPv6 prefix length must be 0 to 128, without leading zeros";
                return false;
            }

            cidr6 = v6;
            rest = rest[..dual];
        }

        int single = rest.LastIndexOf('/');
        if (single >= 0 && rest[(single + 1)..].All(char.IsAsciiDigit))
        {
            if (!TryParseCidr(rest[(single + 1)..], 32, out var v4))
            {
                error = "the IPv4 prefix length must be 0 to 32, without leading zeros";
                return false;
            }

            cidr4 = v4;
            rest = rest[..single];
        }

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
