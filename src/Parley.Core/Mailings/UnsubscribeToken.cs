using System.Text;
using Parley.Core.Common;

namespace Parley.Core.Mailings;

/// <summary>
/// The token in an unsubscribe link: the address (base64url) and a tag, so a link unsubscribes
/// exactly the person it was sent to and nobody can unsubscribe others by editing it.
/// </summary>
public sealed class UnsubscribeToken(TokenSigner signer)
{
    public string For(string address)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(address.ToLowerInvariant())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{encoded}.{signer.Tag("unsubscribe:" + address.ToLowerInvariant())}";
    }

    /// <summary>The address a token names, or null when it is malformed or forged.</summary>
    public string? Parse(string? token)
    {
        var dot = token?.LastIndexOf('.') ?? -1;
        if (token is null || dot <= 0) return null;
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
