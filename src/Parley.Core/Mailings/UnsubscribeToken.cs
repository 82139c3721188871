using System.Globalization;
using System.Text;
using Parley.Core.Common;

namespace Parley.Core.Mailings;

/// <summary>Whom an unsubscribe token names: one recipient of one mailing, or (links sent before mailings were kept) an address.</summary>
public sealed record UnsubscribeClaim(long? MailingId, long? RecordId, string? Address);

/// <summary>
/// The token in an unsubscribe link and in the <c>mailto:</c> address of List-Unsubscribe: <c>{mailing}-{record}-{tag}</c>,
/// short enough for a local part (64 characters), signed so nobody can unsubscribe others by editing it, and naming no
/// address, so a link tells nothing to whoever finds it. Links sent before mailings were kept carry the address
/// (base64url) and a tag; they still work.
/// </summary>
public sealed class UnsubscribeToken(TokenSigner signer)
{
    public string For(long mailingId, long recordId)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{mailingId}-{recordId}");
        return $"{payload}-{signer.Tag("unsubscribe:" + payload)}";
    }

    /// <summary>What a token names, or null when it is malformed or forged.</summary>
    public UnsubscribeClaim? Parse(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }
        var parts = token.Split('-');
        if (parts.Length == 3 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var mailing)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var record))
        {
            var payload = string.Create(CultureInfo.InvariantCulture, $"{mailing}-{record}");
            return signer.Verify("unsubscribe:" + payload, parts[2]) ? new UnsubscribeClaim(mailing, record, null) : null;
        }
        return ParseAddressToken(token) is { } address ? new UnsubscribeClaim(null, null, address) : null;
    }

    /// <summary>The form of links sent before mailings were kept: base64url(address).tag.</summary>
    private string? ParseAddressToken(string token)
    {
        var dot = token.LastIndexOf('.');
        if (dot <= 0)
        {
            return null;
        }
        try
        {
            var encoded = token[..dot].Replace('-', '+').Replace('_', '/');
            var address = Encoding.UTF8.GetString(Convert.FromBase64String(encoded.PadRight(encoded.Length + (4 - encoded.Length % 4) % 4, '=')));
            return signer.Verify("unsubscribe:" + address, token[(dot + 1)..]) ? address : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
