using MimeKit;

namespace Parley.Core.Common;

/// <summary>Validation and normalisation of the addresses users type in.</summary>
public static class EmailAddress
{
    /// <summary>
    /// Returns the address in canonical form (trimmed, lower-cased), or null when it is not a single
    /// plain mailbox. CR and LF are refused outright: they are how header injection starts. The local
    /// part is lower-cased too: RFC 5321 lets a server treat it case-sensitively, but no mainstream
    /// provider does, and a contact typed as Ana.Lima@ must be the one that mail from ana.lima@ finds.
    /// </summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        var text = input.Trim();
        if (text.Length > 254 || text.IndexOfAny(['\r', '\n', '<', '>', ',', ';', ' ', '"']) >= 0)
        {
            return null;
        }

        if (!MailboxAddress.TryParse(ParserOptions.Default, text, out var mailbox))
        {
            return null;
        }

        var at = mailbox.Address.LastIndexOf('@');
        if (at <= 0 || at == mailbox.Address.Length - 1)
        {
            return null;
        }

        var local = mailbox.Address[..at].ToLowerInvariant();
        // International domains are kept in their ASCII (punycode) form, so both spellings are one mailbox.
        var domain = ToAsciiDomain(mailbox.Address[(at + 1)..].TrimEnd('.'));
        if (domain is null)
        {
            return null;
        }

        if (!IsValidDomain(domain))
        {
            return null;
        }

        return local + "@" + domain;
    }

    /// <summary>A domain as typed (any case, trailing dot, IDN) in canonical ASCII form, or null when it is not a valid domain.</summary>
    public static string? NormalizeDomain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            return null;
        }

        var ascii = ToAsciiDomain(domain.Trim().TrimEnd('.'));
        return IsValidDomain(ascii) ? ascii : null;
    }

    public static bool IsValidDomain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain) || domain.Length > 253)
        {
            return false;
        }

        var labels = domain.TrimEnd('.').Split('.');
        if (labels.Length < 2)
        {
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63)
            {
                return false;
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>The lower-case ASCII form of a domain (IDN labels to punycode), or null when it cannot be encoded.</summary>
    public static string? ToAsciiDomain(string domain)
    {
        try
        {
            var encoded = MailboxAddress.EncodeAddrspec("x@" + domain);
            return encoded[(encoded.IndexOf('@') + 1)..].ToLowerInvariant();
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return null;
        }
    }

    public static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..].ToLowerInvariant();
}
